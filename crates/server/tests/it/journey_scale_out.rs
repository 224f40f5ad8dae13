//! The learner's journey through the API on the scale-out configuration:
//! PostgreSQL, the Redis cache and S3 storage (moto) — find by search, enroll,
//! stream the lesson video with a range, complete every lesson, verify the
//! certificate. Skipped, saying which, when any of the three is not configured
//! (`.ci/run` configures all three).

use crate::{common, courses_kit, learning_kit, s3};

use common::{Backend, postgres_url, spawn_with};
use courses_kit as kit;
use lyceum_platform::{
    auth::Role,
    config::{Secret, StorageBackend},
};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journey_on_postgres_redis_and_s3() {
    let Some(redis) = std::env::var("LYCEUM_TEST_REDIS_URL").ok().filter(|u| !u.is_empty()) else {
        lyceum_platform::testing::skip("scale-out journey: LYCEUM_TEST_REDIS_URL is not set");
        return;
    };
    if postgres_url().is_none() {
        lyceum_platform::testing::skip("scale-out journey: LYCEUM_TEST_POSTGRES_URL is not set");
        return;
    }
    let Some(bucket) = s3::bucket("journey").await else { return };
    let app = spawn_with(Backend::Postgres, |s| {
        s.cache.redis_url = Secret::new(redis);
        s.cache.prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
        s.storage.backend = StorageBackend::S3;
        s.storage.s3 = bucket.settings.clone();
    })
    .await;
    assert_eq!(app.state().cache.kind(), "redis");

    // An instructor publishes a course with a text lesson and a video lesson.
    let (teacher, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let video = json!({"title": "Watch", "kind": "video"});
    let course = learning_kit::course_with(
        &teacher,
        "Orbital mechanics",
        &[("Basics", vec![learning_kit::text("Kepler's laws"), video])],
    )
    .await;
    let mut mp4 = kit::MP4.to_vec();
    mp4.resize(64 * 1024, 1);
    let media = format!("/api/v1/lessons/{}/media", course.lessons[1]);
    assert_eq!(kit::upload(&teacher, &media, "media", mp4.clone(), "watch.mp4").await.status, 200);
    let key: String = sqlx::query_scalar("SELECT media_key FROM lessons WHERE id = $1")
        .bind(&course.lessons[1])
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(bucket.storage.head(&key).await.unwrap().size, mp4.len() as u64, "the video is in the bucket");
    learning_kit::publish(&teacher, &course.id).await;

    // A learner finds it by search and enrolls.
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let found = learner.get("/api/v1/catalog/courses?q=orbital").await;
    assert_eq!(found.json()["items"][0]["slug"], course.slug.as_str(), "{}", found.text);
    let enrolled = learner.post("/api/v1/enrollments", json!({"course_id": course.id})).await;
    assert_eq!(enrolled.status, 201, "{}", enrolled.text);
    let page = learner.get(&format!("/api/v1/catalog/courses/{}", course.slug)).await.json();
    assert_eq!(page["enrolled_count"], 1, "the enrollment bumped the counter: {page}");

    // The video streams from S3 with a byte range, to the enrolled learner only.
    let url = learner.url(&format!("/lessons/{}/media", course.lessons[1]));
    let ranged = learner.http.get(&url).header("range", "bytes=100-199").send().await.unwrap();
    assert_eq!(ranged.status(), 206);
    assert_eq!(ranged.bytes().await.unwrap().as_ref(), &mp4[100..200]);
    assert_eq!(app.client().http.get(&url).send().await.unwrap().status(), 403, "not for strangers");

    // Completing both lessons issues the certificate; anyone can verify it.
    learning_kit::complete(&learner, &course.lessons[0]).await;
    let done = learning_kit::complete(&learner, &course.lessons[1]).await;
    assert_eq!(done["course_just_completed"], true, "{done}");
    let mine = learner.get("/api/v1/progress/courses").await.json();
    assert_eq!(mine["items"][0]["percent"], 100, "{mine}");
    let certificate = mine["items"][0]["certificate_url"].as_str().expect("a certificate").to_string();
    let code = certificate.rsplit('/').next().unwrap();
    let verified = app.client().get(&format!("/api/v1/certificates/{code}")).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.json()["course_title"], "Orbital mechanics");
    app.stop().await;
}
