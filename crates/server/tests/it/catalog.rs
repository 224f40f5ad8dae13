//! The catalog API: filters, full-text search with relevance, sorts, cursor
//! paging, 422s, categories and the course detail — on both backends.

use crate::{catalog_kit, common, courses_kit};

use catalog_kit as kit;
use common::{Backend, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

const RUST_BEGIN: &str = "Rust for beginners";
const RUST_ADV: &str = "Advanced Rust patterns";
const DATA: &str = "Data science with Python";
const DESIGN: &str = "Design systems";
const COOKING: &str = "Cooking basics";
const KIDS: &str = "Python for kids";

fn set(titles: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    v.sort();
    v
}

async fn filters_sorts_and_search_combine(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let specs = [
        json!({"title": RUST_BEGIN, "summary": "Start systems programming", "category": "programming", "level": "beginner",
               "language": "en", "tags": ["rust", "systems"]}),
        json!({"title": RUST_ADV, "category": "programming", "level": "advanced", "language": "en", "tags": ["rust"],
               "price_minor": 4999, "currency": "EUR"}),
        json!({"title": DATA, "category": "data-science", "level": "intermediate", "language": "en",
               "tags": ["python", "data"], "price_minor": 1999, "currency": "EUR"}),
        json!({"title": DESIGN, "category": "design", "level": "beginner", "language": "fr", "tags": ["ui"],
               "price_minor": 1500, "currency": "JPY"}),
        json!({"title": COOKING, "description": "How to keep rust off your cast-iron pans.", "level": "beginner",
               "language": "en"}),
        json!({"title": KIDS, "category": "programming", "level": "beginner", "language": "de", "tags": ["python"],
               "price_minor": 999, "currency": "USD"}),
    ];
    let mut ids = Vec::new();
    for spec in specs {
        ids.push(kit::published(&author, spec).await.0);
    }
    let learners = kit::learners(&app, 5).await;
    for (id, n) in ids.iter().zip([2, 5, 4, 0, 1, 3]) {
        kit::enroll(&author, id, &learners[..n]).await;
    }
    kit::draft(&author, json!({"title": "Rust draft"})).await;
    let (archived, _) = kit::published(&author, json!({"title": "Rust archived"})).await;
    assert_eq!(author.post(&format!("/api/v1/courses/{archived}/archive"), json!({})).await.status, 200);
    let c = app.client();

    // Browse: published only, newest first.
    assert_eq!(kit::titles(&c, "").await, [KIDS, COOKING, DESIGN, DATA, RUST_ADV, RUST_BEGIN]);
    // Each filter.
    assert_eq!(kit::title_set(&c, "category=programming").await, set(&[RUST_BEGIN, RUST_ADV, KIDS]));
    assert_eq!(kit::title_set(&c, "level=beginner").await, set(&[RUST_BEGIN, DESIGN, COOKING, KIDS]));
    assert_eq!(kit::title_set(&c, "language=FR").await, set(&[DESIGN]));
    assert_eq!(kit::title_set(&c, "price=free").await, set(&[RUST_BEGIN, COOKING]));
    assert_eq!(kit::title_set(&c, "price=paid").await, set(&[RUST_ADV, DATA, DESIGN, KIDS]));
    assert_eq!(kit::title_set(&c, "currency=eur").await, set(&[RUST_ADV, DATA]));
    assert_eq!(kit::title_set(&c, "currency=EUR&min_price=2000").await, set(&[RUST_ADV]));
    assert_eq!(kit::title_set(&c, "currency=EUR&max_price=2000").await, set(&[DATA]));
    assert_eq!(kit::title_set(&c, "currency=EUR&min_price=1999&max_price=4999").await, set(&[RUST_ADV, DATA]));
    assert_eq!(kit::title_set(&c, "tag=Python").await, set(&[DATA, KIDS]));
    // Combined filters.
    assert_eq!(kit::title_set(&c, "category=programming&level=beginner&tag=python").await, set(&[KIDS]));
    assert_eq!(kit::title_set(&c, "level=beginner&price=free&language=en").await, set(&[RUST_BEGIN, COOKING]));

    // Search: title, tags, summary and description, every word as a prefix; drafts and archived never.
    assert_eq!(kit::title_set(&c, "q=rust").await, set(&[RUST_BEGIN, RUST_ADV, COOKING]));
    assert_eq!(kit::title_set(&c, "q=RUS").await, set(&[RUST_BEGIN, RUST_ADV, COOKING]));
    assert_eq!(kit::title_set(&c, "q=systems%20programming").await, set(&[RUST_BEGIN]));
    assert_eq!(kit::title_set(&c, "q=data").await, set(&[DATA]), "tags and title");
    assert_eq!(kit::title_set(&c, "q=cast-iron").await, set(&[COOKING]), "description");
    assert!(kit::titles(&c, "q=nothing%20matches%20this").await.is_empty());
    assert!(kit::titles(&c, "q=draft").await.is_empty() && kit::titles(&c, "q=archived").await.is_empty());
    // Relevance: a title match ranks above a description match.
    let ranked = kit::titles(&c, "q=rust").await;
    assert_eq!(ranked.last().map(String::as_str), Some(COOKING), "{ranked:?}");
    // Search with filters and sorts.
    assert_eq!(kit::title_set(&c, "q=rust&category=programming").await, set(&[RUST_BEGIN, RUST_ADV]));
    assert_eq!(kit::titles(&c, "q=rust&price=paid").await, [RUST_ADV]);
    assert_eq!(kit::titles(&c, "q=python&level=beginner").await, [KIDS]);
    assert_eq!(kit::titles(&c, "q=rust&sort=title").await, [RUST_ADV, COOKING, RUST_BEGIN]);
    assert_eq!(kit::titles(&c, "q=rust&sort=newest").await, [COOKING, RUST_ADV, RUST_BEGIN]);
    assert_eq!(kit::titles(&c, "q=rust&sort=enrolled").await, [RUST_ADV, RUST_BEGIN, COOKING]);
    assert_eq!(kit::titles(&c, "q=rust&sort=price").await, [RUST_BEGIN, COOKING, RUST_ADV]);

    // Sorts without a query.
    assert_eq!(kit::titles(&c, "sort=title").await, [RUST_ADV, COOKING, DATA, DESIGN, KIDS, RUST_BEGIN]);
    assert_eq!(kit::titles(&c, "sort=enrolled").await, [RUST_ADV, DATA, KIDS, RUST_BEGIN, COOKING, DESIGN]);
    assert_eq!(kit::titles(&c, "sort=price").await, [RUST_BEGIN, COOKING, KIDS, DESIGN, DATA, RUST_ADV]);
    assert_eq!(kit::titles(&c, "sort=newest&category=programming").await, [KIDS, RUST_ADV, RUST_BEGIN]);

    // The card's shape.
    let item = &kit::list(&c, "q=advanced").await["items"][0];
    assert_eq!(item["price"], json!({"amount_minor": 4999, "currency": "EUR"}));
    assert_eq!(item["category"], json!({"slug": "programming", "name": "Programming"}));
    assert_eq!(item["tags"], json!(["rust"]));
    assert_eq!(item["enrolled_count"], 5);
    assert!(kit::list(&c, "q=cooking").await["items"][0]["price"].is_null());
    app.stop().await;
}

async fn paging_visits_every_course_once_with_every_sort(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let learners = kit::learners(&app, 2).await;
    let mut all = Vec::new();
    for i in 0..11 {
        // Repeated prices, counts and titles, so ties must be broken by id.
        let title = format!("Paging course {}", i % 4);
        let price = [0, 500, 500, 1200][i % 4];
        let body = if price == 0 {
            json!({"title": title, "summary": "paging works"})
        } else {
            json!({"title": title, "summary": "paging works", "price_minor": price, "currency": "EUR"})
        };
        let (id, _) = kit::published(&author, body).await;
        kit::enroll(&author, &id, &learners[..i % 3]).await;
        all.push(id);
    }
    all.sort();
    for query in ["sort=newest", "sort=enrolled", "sort=title", "sort=price", "q=paging", "q=paging&sort=price"] {
        let items = kit::all_pages(&app.client(), query, 3).await;
        let mut ids: Vec<String> = items.iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
        let in_order = ids.clone();
        ids.sort();
        ids.dedup();
        assert_eq!(ids, all, "{query}: every course exactly once (order {in_order:?})");
        let keys: Vec<i64> = items
            .iter()
            .map(|c| match query {
                "sort=enrolled" => -c["enrolled_count"].as_i64().unwrap(),
                q if q.contains("price") => c["price"]["amount_minor"].as_i64().unwrap_or(0),
                _ => 0,
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{query}: in order {keys:?}");
    }
    let titles: Vec<String> = kit::all_pages(&app.client(), "sort=title", 4)
        .await
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    // A cursor belongs to its sort.
    let first = kit::list(&app.client(), "sort=title&limit=2").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let reply = app.client().get(&format!("/api/v1/catalog/courses?sort=price&cursor={cursor}")).await;
    reply.assert_problem(422, "validation");
    assert_eq!(kit::fields(&reply), ["cursor"]);
    app.stop().await;
}

async fn bad_parameters_are_422_naming_each_field(backend: Backend) {
    let app = spawn(backend).await;
    let c = app.client();
    let reply = c
        .get(
            "/api/v1/catalog/courses?category=nope&level=expert&language=english!&price=cheap&min_price=-1\
             &max_price=x&currency=XXX&sort=best&limit=many&cursor=zzz",
        )
        .await;
    reply.assert_problem(422, "validation");
    assert_eq!(
        kit::fields(&reply),
        ["category", "currency", "cursor", "language", "level", "limit", "max_price", "min_price", "price", "sort"]
    );
    let relevance = c.get("/api/v1/catalog/courses?sort=relevance").await;
    relevance.assert_problem(422, "validation");
    assert_eq!(kit::fields(&relevance), ["sort"]);
    let range = c.get("/api/v1/catalog/courses?min_price=100&max_price=50").await;
    assert_eq!(kit::fields(&range), ["currency", "max_price"]);
    let words = c.get("/api/v1/catalog/courses?q=%3F%21").await;
    assert_eq!(kit::fields(&words), ["q"]);
    let outside = c.get("/api/v1/catalog/courses?limit=1000").await;
    outside.assert_problem(422, "validation");
    assert_eq!(kit::fields(&outside), ["limit"], "limit is refused outside 1–100, not clamped");
    app.stop().await;
}

async fn categories_and_course_detail(backend: Backend) {
    let app = spawn(backend).await;
    let (author, author_id) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (other, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let body = json!({"title": "Detailed course", "summary": "All the parts", "description": "**Bold** text",
        "category": "mathematics", "tags": ["algebra"], "price_minor": 1500, "currency": "JPY", "seat_limit": 10});
    let (id, slug) = kit::published(&author, body).await;
    let module = courses_kit::module(&author, &id, "Second module").await;
    courses_kit::lesson(
        &author,
        &module,
        json!({"title": "Peek", "kind": "video", "duration_minutes": 25, "is_preview": true}),
    )
    .await;
    kit::enroll(&author, &id, &kit::learners(&app, 3).await).await;
    let (draft_id, draft_slug) = kit::draft(&author, json!({"title": "Hidden draft", "category": "mathematics"})).await;

    let cats = app.client().get("/api/v1/catalog/categories").await.json();
    let math = cats["items"].as_array().unwrap().iter().find(|c| c["slug"] == "mathematics").unwrap().clone();
    assert_eq!(
        math,
        json!({"slug": "mathematics", "name": "Mathematics", "course_count": 1}),
        "drafts are not counted"
    );

    let detail = app.client().get(&format!("/api/v1/catalog/courses/{slug}")).await;
    assert_eq!(detail.status, 200, "{}", detail.text);
    let d = detail.json();
    assert_eq!(d["title"], "Detailed course");
    assert_eq!(d["description_html"], "<p><strong>Bold</strong> text</p>\n");
    assert_eq!(d["price"], json!({"amount_minor": 1500, "currency": "JPY"}));
    assert_eq!(
        (d["enrolled_count"].as_i64(), d["seat_limit"].as_i64(), d["seats_left"].as_i64()),
        (Some(3), Some(10), Some(7))
    );
    assert_eq!(d["instructors"], json!([{"user_id": author_id, "display_name": "Test User"}]));
    assert!(!d.to_string().contains("@example.org"), "no e-mail addresses: {d}");
    assert_eq!((d["lesson_count"].as_i64(), d["duration_minutes"].as_i64()), (Some(2), Some(35)));
    assert_eq!(d["modules"][1]["lessons"][0]["kind"], "video");
    assert_eq!(d["modules"][1]["lessons"][0]["preview"], true);
    assert_eq!(d["modules"][0]["lessons"][0]["preview"], false);

    // A draft is not there for the public nor for another instructor (no IDOR), only for its staff.
    let path = format!("/api/v1/catalog/courses/{draft_slug}");
    app.client().get(&path).await.assert_problem(404, "not-found");
    other.get(&path).await.assert_problem(404, "not-found");
    let own = author.get(&path).await;
    assert_eq!((own.status.as_u16(), own.json()["state"].as_str()), (200, Some("draft")), "{}", own.text);
    assert_eq!(own.json()["id"], draft_id.as_str());
    app.client().get("/api/v1/catalog/courses/no-such-course").await.assert_problem(404, "not-found");
    app.stop().await;
}

on_both_backends!(
    filters_sorts_and_search_combine,
    paging_visits_every_course_once_with_every_sort,
    bad_parameters_are_422_naming_each_field,
    categories_and_course_detail,
);
