//! An avatar is as visible as its profile: instructors' and admins' to anyone
//! (cached publicly), a learner's only to that learner and admins (cached
//! privately) and "not found" to everyone else.

use crate::{common, courses_kit};

use common::{Backend, TestApp, TestClient, spawn};
use lyceum_platform::auth::Role;

async fn with_avatar(app: &TestApp, email: &str, role: Role) -> (TestClient, String) {
    let (client, id) = app.signed_in(email, role).await;
    let reply =
        courses_kit::upload(&client, "/api/v1/users/me/avatar", "avatar", courses_kit::png(64, 64), "a.png").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    (client, id)
}

async fn a_learners_avatar_is_seen_only_by_the_learner_and_admins(backend: Backend) {
    let app = spawn(backend).await;
    let (learner, learner_id) = with_avatar(&app, "learner@example.org", Role::Learner).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let avatar = format!("/users/{learner_id}/avatar");

    assert_eq!(app.client().get(&avatar).await.status, 404, "anonymous");
    assert_eq!(other.get(&avatar).await.status, 404, "another learner");
    assert_eq!(teacher.get(&avatar).await.status, 404, "an instructor with no special tie");
    for (who, client) in [("the learner", &learner), ("an admin", &admin)] {
        let reply = client.get(&avatar).await;
        assert_eq!(reply.status, 200, "{who}");
        assert_eq!(reply.header("cache-control"), "private, max-age=300", "{who}");
    }
    // The profile follows the same rule.
    let profile = format!("/api/v1/users/{learner_id}/profile");
    app.client().get(&profile).await.assert_problem(404, "not-found");
    other.get(&profile).await.assert_problem(404, "not-found");
    assert_eq!(learner.get(&profile).await.status, 200);
    assert_eq!(admin.get(&profile).await.status, 200);
    assert_eq!(admin.get(&format!("/u/{learner_id}")).await.status, 200);
    assert_eq!(other.get(&format!("/u/{learner_id}")).await.status, 404);
    app.stop().await;
}

async fn an_instructors_avatar_is_public(backend: Backend) {
    let app = spawn(backend).await;
    let (_, teacher_id) = with_avatar(&app, "teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let avatar = format!("/users/{teacher_id}/avatar");
    for (who, client) in [("anonymous", &app.client()), ("a learner", &learner)] {
        let reply = client.get(&avatar).await;
        assert_eq!(reply.status, 200, "{who}");
        assert_eq!(reply.header("cache-control"), "public, max-age=86400", "{who}");
    }
    app.stop().await;
}

on_both_backends!(a_learners_avatar_is_seen_only_by_the_learner_and_admins, an_instructors_avatar_is_public);
