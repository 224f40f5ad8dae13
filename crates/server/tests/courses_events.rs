//! Authoring publishes `course.changed` / `course.published` in the same
//! transaction as the change: with a subscriber registered, a change leaves its
//! job rows, and a refused change leaves none.

mod common;

use common::{Backend, spawn};
use lyceum_courses::{
    events::{CourseChanged, CoursePublished},
    model::CourseState,
    service::{courses, outline},
};
use lyceum_platform::{
    AppState,
    auth::{Credential, Role, Viewer},
    events::Delivery,
    jobs::{Job, JobError},
};

struct OnChanged;
impl Job for OnChanged {
    const KIND: &'static str = "test.course_changed";
    type Payload = Delivery<CourseChanged>;
    async fn run(_: &AppState, _: Self::Payload) -> Result<(), JobError> {
        Ok(())
    }
}

struct OnPublished;
impl Job for OnPublished {
    const KIND: &'static str = "test.course_published";
    type Payload = Delivery<CoursePublished>;
    async fn run(_: &AppState, _: Self::Payload) -> Result<(), JobError> {
        Ok(())
    }
}

async fn jobs_of(state: &AppState, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1").bind(kind).fetch_one(state.db.pool()).await.unwrap()
}

async fn changes_publish_events_in_their_transaction(backend: Backend) {
    let app = spawn(backend).await;
    let user_id = app.create_user("grace@example.org", Role::Instructor).await;
    // The same database and ports as the running app, with two subscribers added.
    let base = app.state();
    let mut registry = lyceum::job_registry();
    registry.subscribe::<CourseChanged, OnChanged>().subscribe::<CoursePublished, OnPublished>();
    let state = AppState::new(
        base.settings.clone(),
        base.db.clone(),
        base.mailer.clone(),
        base.storage.clone(),
        base.cache.clone(),
        registry,
    );
    let viewer = Viewer {
        user_id,
        email: "grace@example.org".into(),
        display_name: "Grace".into(),
        role: Role::Instructor,
        locale: "en".into(),
        time_zone: "UTC".into(),
        credential: Credential::Token { token_id: "test".into() },
        must_change_password: false,
    };
    let input = courses::CourseInput { title: Some("Evented".into()), ..Default::default() };
    let course = courses::create(&state, &viewer, input).await.unwrap().course;
    assert_eq!(jobs_of(&state, OnChanged::KIND).await, 1);

    // Refused (no lesson): rolled back with its would-be events.
    assert!(courses::transition(&state, &viewer, &course.id, CourseState::Published).await.is_err());
    assert_eq!(jobs_of(&state, OnChanged::KIND).await, 1);
    assert_eq!(jobs_of(&state, OnPublished::KIND).await, 0);

    let module = outline::create_module(&state, &viewer, &course.id, "M").await.unwrap();
    let lesson = outline::LessonInput { title: Some("L".into()), ..Default::default() };
    outline::create_lesson(&state, &viewer, &module.id, lesson).await.unwrap();
    courses::transition(&state, &viewer, &course.id, CourseState::Published).await.unwrap();
    assert_eq!(jobs_of(&state, OnPublished::KIND).await, 1);
    assert_eq!(jobs_of(&state, OnChanged::KIND).await, 4, "create, module, lesson, publish");
    let payload: String = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = $1")
        .bind(OnPublished::KIND)
        .fetch_one(state.db.pool())
        .await
        .unwrap();
    assert!(payload.contains(&course.id) && payload.contains("\"slug\":\"evented\""), "{payload}");
    app.stop().await;
}

on_both_backends!(changes_publish_events_in_their_transaction);
