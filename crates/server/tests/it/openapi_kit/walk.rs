//! The OpenAPI walker's paths: every documented path with a real object in
//! each id, so a call can only miss when the route does.

use super::*;
use crate::common::{self, TestApp, TestClient};

/// Makes the fixtures a walk of the document needs, reusing the one
/// submission (each new learner is a sign-in, and sign-ins are rate limited).
pub struct Walker<'a> {
    pub app: &'a TestApp,
    pub admin: &'a TestClient,
    pub bearer: &'a TestClient,
    pub admin_id: &'a str,
    pub submission: Option<String>,
}

impl Walker<'_> {
    /// `path` with each id an object of the walker's (or the walker itself).
    pub async fn concrete(&mut self, path: &str) -> String {
        let path = path.to_string();
        let mut concrete = path.clone();
        if path.contains("/tokens/{id}") {
            let (_, spare) = self.admin.create_token("spare").await;
            concrete = concrete.replace("/tokens/{id}", &format!("/tokens/{spare}"));
        }
        if path.contains("/sessions/{id}") {
            let mut spare = self.app.client();
            spare.login("root@example.org", common::PASSWORD).await;
            let listed = spare.get("/api/v1/users/me/sessions").await.json();
            let id = listed["items"].as_array().unwrap().iter().find(|s| s["current"] == true).unwrap()["id"].clone();
            concrete = concrete.replace("/sessions/{id}", &format!("/sessions/{}", id.as_str().unwrap()));
        }
        if path.contains("/notifications/{id}") {
            concrete = concrete.replace(
                "/notifications/{id}",
                &format!("/notifications/{}", notification(self.app, self.bearer, self.admin_id).await),
            );
        }
        if ["/courses/{id}", "/modules/{id}", "/lessons/{id}"].iter().any(|p| path.contains(p)) {
            // A fresh course per call: deletes must not starve later operations.
            let (course, module, lesson) = course_fixture(self.bearer).await;
            concrete = concrete
                .replace("/courses/{id}", &format!("/courses/{course}"))
                .replace("/modules/{id}", &format!("/modules/{module}"))
                .replace("/lessons/{id}", &format!("/lessons/{lesson}"));
        }
        if path.contains("/questions/{id}") {
            concrete = concrete.replace("/questions/{id}", &format!("/questions/{}", bank_question(self.bearer).await));
        }
        if path.contains("{category_id}") {
            // A category of the fresh course above, so there is one to edit or delete.
            let course = concrete.split('/').nth(4).unwrap().to_string();
            let made = self
                .bearer
                .post(&format!("/api/v1/courses/{course}/question-categories"), json!({"name": "Walked"}))
                .await;
            concrete = concrete.replace("{category_id}", made.json()["id"].as_str().expect("category id"));
        }
        if path.contains("/quizzes/attempts/{id}") {
            concrete = concrete.replace(
                "/quizzes/attempts/{id}",
                &format!("/quizzes/attempts/{}", attempt_fixture(self.app, self.bearer).await),
            );
        } else if path.contains("/quizzes/{id}") {
            concrete = concrete.replace("/quizzes/{id}", &format!("/quizzes/{}", quiz_fixture(self.bearer).await.1));
        }
        if path.contains("/assignment-submissions/{id}") {
            // One submission for every operation: each new learner is a sign-in, and sign-ins are rate limited.
            if self.submission.is_none() {
                self.submission = Some(submission_fixture(self.app, self.bearer).await);
            }
            let id = self.submission.clone().unwrap_or_default();
            concrete = concrete.replace("/assignment-submissions/{id}", &format!("/assignment-submissions/{id}"));
            if path.contains("/feedback/files/{file_id}") {
                concrete = concrete.replace("{file_id}", &feedback_file_fixture(self.bearer, &id).await);
            }
        } else if path.contains("/assignments/{id}") {
            let id = assignment_fixture(self.bearer).await.1;
            concrete = concrete.replace("/assignments/{id}", &format!("/assignments/{id}"));
            if path.contains("/attachments/{attachment_id}") {
                concrete = concrete.replace("{attachment_id}", &attachment_fixture(self.bearer, &id).await);
            }
        }
        for api in ["rubrics", "marking-guides", "scales"] {
            let template = format!("/{api}/{{id}}");
            if path.contains(&template) {
                let id = definition_fixture(self.bearer, api).await;
                concrete = concrete.replace(&template, &format!("/{api}/{id}"));
            }
        }
        if path.contains("/grade-categories/{id}") {
            let id = grade_category_fixture(self.bearer).await;
            concrete = concrete.replace("/grade-categories/{id}", &format!("/grade-categories/{id}"));
        }
        if path.contains("/grade-items/{id}") {
            concrete = concrete
                .replace("/grade-items/{id}", &format!("/grade-items/{}", grade_item_fixture(self.bearer).await));
        }
        if path.contains("/enrollments/{id}") {
            concrete =
                concrete.replace("/enrollments/{id}", &format!("/enrollments/{}", enrollment(self.bearer).await));
        }
        if path.contains("/orders/{id}") {
            // A fresh order per call: cancelling or paying one must not starve later operations.
            concrete = concrete.replace("/orders/{id}", &format!("/orders/{}", order_fixture(self.bearer).await));
        }
        // Only the manual gateway is offered here; its webhook refuses every delivery (400).
        concrete = concrete.replace("{gateway}", "manual");
        if path.contains("/roster/{user_id}") {
            // The walker's own enrollment in the fresh course, so there is someone to remove.
            let course = concrete.split('/').nth(4).unwrap().to_string();
            self.bearer.post(&format!("/api/v1/courses/{course}/roster"), json!({"email": "root@example.org"})).await;
        }
        if path.contains("{course_id}") || path.contains("{lesson_id}") {
            let (course, _, lesson) = course_fixture(self.bearer).await;
            concrete = concrete.replace("{course_id}", &course).replace("{lesson_id}", &lesson);
        }
        if path.contains("/certificates/{code}") {
            concrete = concrete.replace("{code}", &certificate(self.bearer).await);
        }
        if path.contains("/catalog/courses/{slug}") {
            let (course, _, _) = course_fixture(self.bearer).await;
            let published = self.bearer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
            let slug = published.json()["slug"].as_str().expect("published course").to_string();
            concrete = concrete.replace("{slug}", &slug);
        }
        if path.contains("/question-imports/{id}") {
            let import = question_import_fixture(self.bearer).await;
            concrete = concrete.replace("/question-imports/{id}", &format!("/question-imports/{import}"));
        }
        if path.contains("/jobs/{id}") {
            concrete = concrete.replace("/jobs/{id}", &format!("/jobs/{}", dead_job(self.app).await));
        }
        if path.contains("/subscription-plans/{id}") {
            let plan = plan_fixture(self.bearer).await;
            concrete = concrete.replace("/subscription-plans/{id}", &format!("/subscription-plans/{plan}"));
        }
        if path.contains("/subscriptions/{id}") {
            let subscription = subscription_fixture(self.bearer).await;
            concrete = concrete.replace("/subscriptions/{id}", &format!("/subscriptions/{subscription}"));
        }
        if path.contains("/coupons/{id}") {
            let code = format!("WALK-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
            let made =
                self.bearer.post("/api/v1/coupons", json!({"code": code, "kind": "percent", "percent": 5})).await;
            concrete = concrete.replace("/coupons/{id}", &format!("/coupons/{}", made.json()["id"].as_str().unwrap()));
        }
        if path.contains("/tax-rates/{country}") {
            // A country with a rate, so there is one to remove.
            let rate = json!({"rate_bp": 2000});
            self.bearer.send(reqwest::Method::PUT, "/api/v1/payments/tax-rates/FR", Some(&rate)).await;
            concrete = concrete.replace("{country}", "FR");
        }
        if ["{forum_id}", "{thread_id}", "{post_id}", "{flag_id}"].iter().any(|p| path.contains(p)) {
            // A fresh thread per call: deleting a post must not starve later operations.
            let f = forum_fixture(self.app, self.bearer).await;
            concrete = concrete
                .replace("{forum_id}", &f.forum)
                .replace("{thread_id}", &f.thread)
                .replace("{post_id}", &f.post)
                .replace("{flag_id}", &f.flag);
        }
        if path.contains("/forums/attachments/{attachment_id}") {
            concrete = concrete.replace("{attachment_id}", &forum_attachment_fixture(self.app, self.bearer).await);
        }
        // A slot is a question's number in the attempt: the fixture's first.
        fill_path(&concrete.replace("{slot}", "0"), self.admin_id)
    }
}

/// A fresh subscription plan.
async fn plan_fixture(client: &TestClient) -> String {
    let body = json!({"name": "Walked plan", "interval": "month", "price_minor": 1500, "currency": "EUR"});
    let made = client.post("/api/v1/subscription-plans", body).await;
    assert_eq!(made.status, 201, "create plan: {}", made.text);
    made.json()["id"].as_str().expect("plan id").to_string()
}

/// The caller's subscription (pending on its first order), subscribed again to a fresh plan.
async fn subscription_fixture(client: &TestClient) -> String {
    let plan = plan_fixture(client).await;
    let made = client.post("/api/v1/subscriptions", json!({"plan_id": plan, "gateway": "manual"})).await;
    assert_eq!(made.status, 201, "subscribe: {}", made.text);
    made.json()["subscription"]["id"].as_str().expect("subscription id").to_string()
}

/// A file on a fresh post of the caller's.
async fn forum_attachment_fixture(app: &TestApp, client: &TestClient) -> String {
    let post = forum_fixture(app, client).await.post;
    let part = reqwest::multipart::Part::bytes(b"notes\n".to_vec()).file_name("walked.txt");
    let form = reqwest::multipart::Form::new().part("files", part);
    let url = client.url(&format!("/api/v1/forums/posts/{post}/attachments"));
    let request = client.http.post(url).bearer_auth(client.bearer.as_deref().unwrap_or_default()).multipart(form);
    let made = TestClient::reply(request.send().await.unwrap()).await;
    assert_eq!(made.status, 201, "forum attachment: {}", made.text);
    made.json()["items"][0]["id"].as_str().expect("attachment id").to_string()
}
