"""Screenshots of the main pages at desktop and phone width, from a running
Lyceum started with `serve --demo`: how docs/screenshots/before was made
(from commit 7795fed, before the web-experience round). The browser tests
make the `after` set themselves (LYCEUM_SCREENSHOTS, see docs/testing.md).

    python3 docs/screenshots/take.py http://127.0.0.1:8080 docs/screenshots/before ADMIN_EMAIL ADMIN_PASSWORD

Needs Debian's chromium and chromium-driver and `pip install selenium`.
"""

import re
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE, OUT, ADMIN, ADMIN_PASSWORD = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
OUT.mkdir(parents=True, exist_ok=True)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shoot(driver, path, name):
    for width, size in WIDTHS.items():
        driver.set_window_size(*size)
        driver.get(BASE + path)
        driver.save_screenshot(str(OUT / f"{name}-{width}.png"))
    print("shot", name, path)


def sign_in(driver, email, password):
    driver.delete_all_cookies()
    driver.get(BASE + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.NAME, "password").submit()


def first_link(driver, pattern, *paths):
    """The first link matching `pattern` on the first of `paths` that has one."""
    for path in paths:
        driver.get(BASE + path)
        for a in driver.find_elements(By.TAG_NAME, "a"):
            href = a.get_attribute("href") or ""
            if re.search(pattern, href):
                return href.removeprefix(BASE)
    raise SystemExit(f"no link like {pattern} on {paths}")


driver = browser()
try:
    shoot(driver, "/courses?q=rust", "courses_q")
    course = first_link(driver, r"/courses/[a-z0-9-]+$", "/courses")
    shoot(driver, course, "courses__slug")

    sign_in(driver, "ada@demo.lyceum.localhost", "demo-learner")
    shoot(driver, "/", "signed_in")
    shoot(driver, "/my/courses", "my_courses")
    lesson = first_link(driver, r"/learn/[^/]+/lessons/[^/?]+$", "/my/courses", course)
    shoot(driver, lesson, "learn__slug__lessons__id")
    shoot(driver, "/settings/sessions", "settings_sessions")

    sign_in(driver, "grace@demo.lyceum.localhost", "demo-instructor")
    shoot(driver, "/teach", "teach")
    editor = first_link(driver, r"/teach/courses/[^/]+$", "/teach")
    shoot(driver, editor, "teach_courses__id")
    shoot(driver, editor + "/roster", "teach_courses__id__roster")

    sign_in(driver, ADMIN, ADMIN_PASSWORD)
    shoot(driver, "/admin/users", "admin_users")
    shoot(driver, "/admin/jobs", "admin_jobs")
finally:
    driver.quit()
