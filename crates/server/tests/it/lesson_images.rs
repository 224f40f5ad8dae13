//! Images in lesson text: staff upload them (API and the editor's form), put
//! their markdown in the lesson, and learners see them under the lesson's own
//! access rule; crafted names never reach storage; deleting the lesson deletes
//! its images — both backends.

use crate::{common, courses_kit, enrollment_kit, learning_kit};

use common::{Backend, Reply, TestClient, spawn};
use courses_kit as kit;
use learning_kit as lk;
use lyceum_platform::auth::Role;
use serde_json::json;

/// POSTs `bytes` as the multipart field `image` (the API's upload).
async fn upload(client: &TestClient, lesson: &str, bytes: Vec<u8>) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("picture.png");
    let form = reqwest::multipart::Form::new().part("image", part);
    let mut req = client.http.post(client.url(&format!("/api/v1/lessons/{lesson}/images"))).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    TestClient::reply(req.send().await.unwrap()).await
}

async fn lesson_images_follow_the_lesson(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("eve@example.org", Role::Learner).await;
    let c = lk::course_with(&owner, "Pictures", &[("M", vec![lk::text("Drawn"), lk::text("Second")])]).await;
    let (drawn, second) = (c.lessons[0].clone(), c.lessons[1].clone());

    let added = upload(&owner, &drawn, kit::png(40, 30)).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let (url, markdown) = (added.json()["url"].as_str().unwrap().to_string(), added.json()["markdown"].clone());
    assert!(url.starts_with(&format!("/lessons/{drawn}/images/")) && url.ends_with(".png"), "{url}");
    assert_eq!(markdown, json!(format!("![]({url})")));
    upload(&owner, &drawn, b"not an image".to_vec()).await.assert_problem(422, "validation");
    for outsider in [&learner, &other_teacher] {
        let refused = upload(outsider, &drawn, kit::png(4, 4)).await.status.as_u16();
        assert!(matches!(refused, 403 | 404), "only the course's staff add images: {refused}");
    }

    let body = json!({"body": format!("A drawing:\n\n![the drawing]({url})")});
    assert_eq!(owner.patch(&format!("/api/v1/lessons/{drawn}"), body).await.status, 200);
    lk::publish(&owner, &c.id).await;
    enrollment_kit::add_to_roster(&owner, &c.id, "ada@example.org").await;

    let page = learner.get(&format!("/learn/{}/lessons/{drawn}", c.slug)).await.text;
    assert!(page.contains(&format!(r#"<img src="{url}" alt="the drawing">"#)), "{page}");
    let image = learner.http.get(learner.url(&url)).send().await.unwrap();
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(image.bytes().await.unwrap().starts_with(b"\x89PNG"), "a re-encoded PNG");
    for (who, client) in [("stranger", &stranger), ("other teacher", &other_teacher), ("anonymous", &app.client())] {
        assert_eq!(client.get(&url).await.status, 403, "{who}: the lesson's rule applies to its images");
    }
    // The image belongs to its lesson: another lesson's address, or a made-up name, finds nothing.
    let name = url.rsplit('/').next().unwrap();
    assert_eq!(learner.get(&format!("/lessons/{second}/images/{name}")).await.status, 404);
    for bad in ["..%2F..%2Fsecret.png", "x.svg", "0192f0c1a2b37c8d9e0f112233445566.gif"] {
        assert_eq!(learner.get(&format!("/lessons/{drawn}/images/{bad}")).await.status, 404, "{bad}");
    }

    // The editor lists the lesson's images with their markdown, and uploads more (token first, no `?csrf=`).
    let editor = format!("/teach/lessons/{drawn}");
    let shown = owner.get(&editor).await.text;
    assert!(shown.contains(&format!("value=\"![]({url})\"")), "{shown}");
    let csrf = owner.page_csrf(&editor).await;
    let part = reqwest::multipart::Part::bytes(kit::png(8, 8)).file_name("second.png");
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part("image", part);
    let posted = TestClient::reply(
        owner.http.post(owner.url(&format!("{editor}/images"))).multipart(form).send().await.unwrap(),
    )
    .await;
    assert_eq!((posted.status.as_u16(), posted.header("location")), (303, format!("{editor}#images").as_str()));
    let listed = owner.get(&format!("/api/v1/lessons/{drawn}/images")).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    assert!(matches!(learner.get(&format!("/api/v1/lessons/{drawn}/images")).await.status.as_u16(), 403 | 404));

    // Deleting the lesson deletes its images.
    let gone = owner.delete(&format!("/api/v1/lessons/{drawn}?force=true")).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_eq!(owner.get(&url).await.status, 404);
    app.stop().await;
}

on_both_backends!(lesson_images_follow_the_lesson);
