"""The learner's journey through a client generated from Lyceum's OpenAPI
document by openapi-python-client (package `lyceum_client` on PYTHONPATH):
register, verify the e-mail, sign in, search the catalog, enroll, complete a
lesson, read the progress. Run by crates/server/tests/api_contract.rs, which
hands over the verification token (read from the mail folder) in a file.
Exits non-zero, saying which step failed, when any answer is not the one
expected.
"""

import argparse
import sys
import time
from pathlib import Path

from lyceum_client import AuthenticatedClient, Client
from lyceum_client.api.auth import login, register, verify_email
from lyceum_client.api.catalog import get_catalog_course, search_catalog_courses
from lyceum_client.api.enrollments import enroll, list_my_enrollments
from lyceum_client.api.progress import get_my_course_progress, record_lesson_progress
from lyceum_client.api.tokens import create_token
from lyceum_client.models import (
    CreateTokenBody,
    EnrollBody,
    LoginBody,
    ProgressBody,
    RegisterBody,
    TokenBody,
)


def step(name, reply, status):
    """The parsed body of `reply` (a generated `Response`), which must have `status`."""
    if reply.status_code != status:
        sys.exit(f"{name}: expected {status}, got {reply.status_code}: {reply.content!r}")
    print(f"ok: {name} ({status})")
    return reply.parsed


def wait_for(path, seconds=60):
    """The content of `path` once the test has written it (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    sys.exit(f"no verification token in {path} after {seconds} s")


def main():
    args = argparse.ArgumentParser()
    for name in ["--base-url", "--email", "--password", "--search", "--token-file"]:
        args.add_argument(name, required=True)
    a = args.parse_args()

    anonymous = Client(base_url=a.base_url, raise_on_unexpected_status=True)
    body = RegisterBody(email=a.email, password=a.password, display_name="Journey Learner")
    step("register", register.sync_detailed(client=anonymous, body=body), 202)
    token = wait_for(Path(a.token_file))
    step("verify e-mail", verify_email.sync_detailed(client=anonymous, body=TokenBody(token=token)), 200)

    # Sign in with the session cookie, then make the API token a program uses.
    session = Client(base_url=a.base_url, raise_on_unexpected_status=True)
    signed_in = step("sign in", login.sync_detailed(client=session, body=LoginBody(email=a.email, password=a.password)), 200)
    cookies = dict(session.get_httpx_client().cookies)
    session = Client(base_url=a.base_url, cookies=cookies, headers={"X-CSRF-Token": signed_in.csrf_token},
                     raise_on_unexpected_status=True)
    created = step("create API token", create_token.sync_detailed(client=session, body=CreateTokenBody(name="journey")), 201)
    me = AuthenticatedClient(base_url=a.base_url, token=created.token, raise_on_unexpected_status=True)

    page = step("search the catalog", search_catalog_courses.sync_detailed(client=me, q=a.search), 200)
    if not page.items:
        sys.exit(f"searching {a.search!r} found nothing")
    card = page.items[0]
    detail = step("read the course page", get_catalog_course.sync_detailed(card.slug, client=me), 200)
    lessons = [lesson.id for module in detail.modules for lesson in module.lessons]
    if not lessons:
        sys.exit("the course has no lessons")

    enrollment = step("enroll", enroll.sync_detailed(client=me, body=EnrollBody(course_id=detail.id)), 201)
    mine = step("list my enrollments", list_my_enrollments.sync_detailed(client=me), 200)
    if enrollment.id not in [e.id for e in mine.items]:
        sys.exit("the new enrollment is not listed")

    for lesson in lessons:
        done = step("complete a lesson", record_lesson_progress.sync_detailed(lesson, client=me, body=ProgressBody(completed=True)), 200)
        if not done.completed:
            sys.exit(f"lesson {lesson} is not complete")
    progress = step("read my progress", get_my_course_progress.sync_detailed(detail.id, client=me), 200)
    if progress.percent != 100 or progress.completed_lessons != len(lessons):
        sys.exit(f"progress is {progress.percent}% ({progress.completed_lessons}/{len(lessons)} lessons)")
    print("journey complete")


if __name__ == "__main__":
    main()
