//! The forum objects the walker's paths name: a thread of a fresh course's
//! general forum (a question), the walker's answer and a flag of it (written directly: the
//! walker cannot flag its own post, and another member would be a sign-in).

use serde_json::json;

use crate::common::{self, TestClient};

/// Ids of a fresh course's forum objects.
pub struct ForumFixture {
    pub forum: String,
    pub thread: String,
    pub post: String,
    pub flag: String,
}

pub async fn forum_fixture(app: &common::TestApp, client: &TestClient) -> ForumFixture {
    let (course, _, _) = super::course_fixture(client).await;
    let listed = client.get(&format!("/api/v1/forums/courses/{course}")).await;
    assert_eq!(listed.status, 200, "forums: {}", listed.text);
    let forum = listed.json()["items"][0]["id"].as_str().expect("general forum").to_string();
    // A question and the walker's answer: the post routes include accepting an answer.
    let body = json!({"title": "Walked", "body": "Is this walked?", "kind": "question"});
    let made = client.post(&format!("/api/v1/forums/{forum}/threads"), body).await;
    assert_eq!(made.status, 201, "thread: {}", made.text);
    let thread = made.json()["id"].as_str().unwrap().to_string();
    let answer = client.post(&format!("/api/v1/forums/threads/{thread}/posts"), json!({"body": "Yes."})).await;
    assert_eq!(answer.status, 201, "answer: {}", answer.text);
    let post = answer.json()["id"].as_str().unwrap().to_string();
    let flagger = match sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE email = 'walk-flagger@example.org'")
        .fetch_optional(app.state().db.pool())
        .await
        .unwrap()
    {
        Some(id) => id,
        None => app.create_user("walk-flagger@example.org", lyceum_platform::auth::Role::Learner).await,
    };
    let flag = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO forum_flags (id, post_id, course_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4, 'walked', 0)",
    )
    .bind(&flag)
    .bind(&post)
    .bind(&course)
    .bind(&flagger)
    .execute(app.state().db.pool())
    .await
    .unwrap();
    ForumFixture { forum, thread, post, flag }
}
