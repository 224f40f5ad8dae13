"""Prints SQL (portable: SQLite and PostgreSQL) inserting COURSES published
courses with tags, a module and three lessons each, taught by OWNER (a user
id). The server indexes them for search when it starts (ensure_index)."""
import random, sys, uuid

courses, owner = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
words = ("rust python data design algebra statistics marketing spanish drawing web systems cloud "
         "security music writing physics chemistry finance leadership photography").split()
cats = ["cat-programming", "cat-data-science", "cat-design", "cat-business", "cat-languages", "cat-mathematics"]
levels = ["beginner", "intermediate", "advanced"]
out = ["BEGIN;"]
for i in range(courses):
    cid, t = str(uuid.uuid4()), 1_700_000_000_000 + i * 1000
    a, b = rng.sample(words, 2)
    title = f"{a.title()} and {b} {i}"
    price, cur = (0, "NULL") if i % 3 == 0 else (rng.choice([999, 1999, 4999]), "'EUR'")
    desc = " ".join(rng.choice(words) for _ in range(60))
    out.append(
        "INSERT INTO courses (id, slug, title, summary, description_md, category_id, level, language, price_minor, "
        "currency, state, published_at, created_by, created_at, updated_at, enrolled_count) VALUES "
        f"('{cid}', 'bench-course-{i}', '{title}', 'Learn {a} with {b}.', '{desc}', '{cats[i % 6]}', "
        f"'{levels[i % 3]}', 'en', {price}, {cur}, 'published', {t}, '{owner}', {t}, {t}, {rng.randint(0, 500)});")
    out.append(f"INSERT INTO course_instructors (course_id, user_id, role, added_at) VALUES ('{cid}', '{owner}', 'owner', {t});")
    for tag in (a, b):
        out.append(f"INSERT INTO course_tags (course_id, tag) VALUES ('{cid}', '{tag}');")
    mid = str(uuid.uuid4())
    out.append(f"INSERT INTO course_modules (id, course_id, title, position, created_at, updated_at) VALUES ('{mid}', '{cid}', 'Module 1', 1, {t}, {t});")
    for n in range(1, 4):
        out.append(
            "INSERT INTO lessons (id, module_id, course_id, title, kind, body_md, duration_minutes, is_preview, position, "
            f"created_at, updated_at) VALUES ('{uuid.uuid4()}', '{mid}', '{cid}', 'Lesson {n}', 'text', 'Text', 10, "
            f"{1 if n == 1 else 0}, {n}, {t}, {t});")
out.append("COMMIT;")
print("\n".join(out))
