//! Shared by the forum tests: a published course with a module, its
//! teacher, two enrolled learners, a stranger and another course's
//! teacher; and the forum calls they make.
#![allow(dead_code)]

use lyceum_platform::auth::Role;
use serde_json::{Value, json};

use crate::{
    common::{self, Backend, TestApp, TestClient},
    courses_kit, enrollment_kit,
};

pub struct Forums {
    pub app: TestApp,
    pub teacher: TestClient,
    pub ada: TestClient,
    pub ada_id: String,
    pub bob: TestClient,
    pub bob_id: String,
    pub stranger: TestClient,
    pub other_teacher: TestClient,
    pub course: String,
    pub slug: String,
    pub module: String,
}

pub async fn class(backend: Backend) -> Forums {
    class_with(backend, |_| {}).await
}

/// [`class`] on an app whose settings `tweak` adjusts.
pub async fn class_with(backend: Backend, tweak: impl FnOnce(&mut lyceum_platform::config::Settings)) -> Forums {
    let app = common::spawn_with(backend, tweak).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (ada, ada_id) = app.signed_in("ada@example.org", Role::Learner).await;
    let (bob, bob_id) = app.signed_in("bob@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, slug) = enrollment_kit::published(&teacher, "Rust", json!({})).await;
    enrollment_kit::published(&other_teacher, "History", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Ownership").await;
    enrollment_kit::add_to_roster(&teacher, &course, "ada@example.org").await;
    enrollment_kit::add_to_roster(&teacher, &course, "bob@example.org").await;
    Forums { app, teacher, ada, ada_id, bob, bob_id, stranger, other_teacher, course, slug, module }
}

impl Forums {
    /// The course's forums as `client` sees them.
    pub async fn forums(&self, client: &TestClient) -> Value {
        let listed = client.get(&format!("/api/v1/forums/courses/{}", self.course)).await;
        assert_eq!(listed.status, 200, "{}", listed.text);
        listed.json()
    }

    /// The id of the course's forum of `kind` (`general`, `announcements`,
    /// or `module`: the "Ownership" module's).
    pub async fn forum(&self, kind: &str) -> String {
        let listed = self.forums(&self.teacher).await;
        let found = |f: &&Value| f["kind"] == kind && (kind != "module" || f["module_id"] == self.module.as_str());
        let forum = listed["items"].as_array().unwrap().iter().find(found).expect("the forum");
        forum["id"].as_str().unwrap().to_string()
    }

    /// Starts a thread as `client`; its id.
    pub async fn thread(&self, client: &TestClient, forum: &str, title: &str, body: &str) -> String {
        let made = client.post(&format!("/api/v1/forums/{forum}/threads"), json!({"title": title, "body": body})).await;
        assert_eq!(made.status, 201, "{}", made.text);
        made.json()["id"].as_str().unwrap().to_string()
    }

    /// Replies as `client`; the post.
    pub async fn reply(&self, client: &TestClient, thread: &str, body: &str) -> Value {
        let made = client.post(&format!("/api/v1/forums/threads/{thread}/posts"), json!({"body": body})).await;
        assert_eq!(made.status, 201, "{}", made.text);
        made.json()
    }

    /// A page of the thread as `client` reads it (`None`: where it opens).
    pub async fn read(&self, client: &TestClient, thread: &str, page: Option<i64>) -> Value {
        let path = match page {
            Some(p) => format!("/api/v1/forums/threads/{thread}?page={p}"),
            None => format!("/api/v1/forums/threads/{thread}"),
        };
        let read = client.get(&path).await;
        assert_eq!(read.status, 200, "{}", read.text);
        read.json()
    }
}
