//! The ways into the forums: the lesson page (its course's forums, each
//! module's forum on the outline, and this lesson's module forum), the
//! learner's course list and the staff's course editor — links that lead
//! to the forums, and none for a visitor of a free preview. Both backends.

use crate::{common, courses_kit, forums_kit};

use common::Backend;
use forums_kit::class;
use serde_json::json;

on_both_backends!(lesson_page_my_courses_and_the_editor_link_to_the_forums);

async fn lesson_page_my_courses_and_the_editor_link_to_the_forums(backend: Backend) {
    let c = class(backend).await;
    let lesson =
        courses_kit::lesson(&c.teacher, &c.module, json!({"title": "Moves", "body": "Hello", "is_preview": true}))
            .await;
    let page = c.ada.get(&format!("/learn/{}/lessons/{lesson}", c.slug)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let forums = format!("href=\"/learn/{}/forums\"", c.slug);
    let module_forum = format!("href=\"/learn/{}/forums/modules/{}\"", c.slug, c.module);
    assert!(page.text.contains(&forums), "the course's forums: {}", page.text);
    assert_eq!(page.text.matches(&module_forum).count(), 2, "on the outline and under the lesson");
    // The links lead somewhere: the index, and the module's forum.
    let index = c.ada.get(&format!("/learn/{}/forums", c.slug)).await;
    assert_eq!(index.status, 200, "{}", index.text);
    let to_forum = c.ada.get(&format!("/learn/{}/forums/modules/{}", c.slug, c.module)).await;
    assert_eq!(to_forum.status, 303, "{}", to_forum.text);
    let forum = c.ada.get(to_forum.header("location")).await;
    assert_eq!(forum.status, 200, "{}", forum.text);
    assert!(forum.text.contains("Ownership"));

    let mine = c.ada.get("/my/courses").await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert!(mine.text.contains(&forums), "{}", mine.text);

    let editor = c.teacher.get(&format!("/teach/courses/{}", c.course)).await;
    assert_eq!(editor.status, 200, "{}", editor.text);
    assert!(editor.text.contains(&forums) && editor.text.contains(&module_forum), "{}", editor.text);

    // A stranger reading the free preview is not sent to forums they cannot open.
    let preview = c.stranger.get(&format!("/learn/{}/lessons/{lesson}", c.slug)).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert!(!preview.text.contains("/forums"), "{}", preview.text);
    c.app.stop().await;
}
