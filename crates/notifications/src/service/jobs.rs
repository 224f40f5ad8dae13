//! The notification jobs: one subscriber per domain event that notifies
//! someone, the admin test, the e-mail of one notification, the daily digest.
//! Each says how it is idempotent (delivery is at least once).

use lyceum_accounts::events::{PasswordResetRequested, UserRegistered};
use lyceum_assignments::events::{SubmissionGraded, SubmissionSubmitted};
use lyceum_billing::events::{OrderPaid, RenewalFailed, SubscriptionEnded, SubscriptionPeriodPaid};
use lyceum_enrollment::events::{EnrollmentCancelled, EnrollmentCreated};
use lyceum_forums::events::{NoticeReason, PostFlagged, PostNotice};
use lyceum_learning::events::CourseCompleted;
use lyceum_platform::{
    AppState,
    events::Delivery,
    jobs::{Job, JobError, JobRegistry, schedule::Every},
    mail::deliveries,
};
use lyceum_quizzes::events::AttemptGraded;
use serde::{Deserialize, Serialize};

use super::deliver::{About, Notice, Notices, notify, notify_each};
use crate::{
    model::{
        ADMIN_TEST, ASSIGNMENT_GRADED, ASSIGNMENT_SUBMITTED, COURSE_COMPLETED, COURSE_ENROLLED, COURSE_UNENROLLED,
        FORUM_ANNOUNCEMENT, FORUM_ANNOUNCEMENT_IMPORTANT, FORUM_MENTION, FORUM_POST, FORUM_POST_FLAGGED,
        PAYMENT_RECEIPT, QUIZ_GRADED, RENEWAL_FAILED, SECURITY, SUBSCRIPTION_LAPSED, WELCOME, kind,
    },
    repo::notifications,
};

/// Every notifications job and subscription; the server calls this when it builds its registry.
pub fn register_jobs(registry: &mut JobRegistry) {
    registry
        .subscribe::<UserRegistered, WelcomeNotice>()
        .subscribe::<PasswordResetRequested, SecurityNotice>()
        .subscribe::<EnrollmentCreated, EnrolledNotice>()
        .subscribe::<EnrollmentCancelled, UnenrolledNotice>()
        .subscribe::<CourseCompleted, CourseCompletedNotice>()
        .subscribe_when::<AttemptGraded, QuizGradedNotice>(|e| e.manual)
        .subscribe::<SubmissionSubmitted, AssignmentSubmittedNotice>()
        .subscribe::<SubmissionGraded, AssignmentGradedNotice>()
        .subscribe_when::<OrderPaid, ReceiptNotice>(|e| !e.subscription)
        .subscribe::<SubscriptionPeriodPaid, SubscriptionReceiptNotice>()
        .subscribe::<RenewalFailed, RenewalFailedNotice>()
        .subscribe_when::<SubscriptionEnded, SubscriptionLapsedNotice>(|e| e.reason == "lapsed")
        .subscribe::<PostNotice, ForumPostNotice>()
        .subscribe::<PostFlagged, PostFlaggedNotice>()
        .register::<AdminTestNotice>()
        .register::<NotificationMail>()
        .schedule::<super::digest::DailyDigest>(DIGEST_AT)
        .schedule::<super::purge::PurgeOld>(DIGEST_AT);
}

/// When the daily digest goes out (UTC): early morning in Europe and Africa,
/// the evening before in the Americas.
pub const DIGEST_AT: Every = Every::DailyAt { hour: 7, minute: 0 };

fn declared(id: &str) -> &'static crate::model::Kind {
    kind(id).unwrap_or_else(|| panic!("notification kind {id} is not in KINDS"))
}

/// `user.registered` → a welcome notice. Idempotent through the source key
/// `notifications.welcome:<event id>` (see [`notify`]).
pub struct WelcomeNotice;
impl Job for WelcomeNotice {
    const KIND: &'static str = "notifications.welcome";
    type Payload = Delivery<UserRegistered>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let key = delivery.key(Self::KIND);
        let notice = Notice {
            user_id: &delivery.event.user_id,
            kind: declared(WELCOME),
            message: "",
            link: "/settings/profile",
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `user.password_reset_requested` → a security notice to the owner.
/// Idempotent through the source key `notifications.security:<event id>`.
pub struct SecurityNotice;
impl Job for SecurityNotice {
    const KIND: &'static str = "notifications.security";
    type Payload = Delivery<PasswordResetRequested>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let key = delivery.key(Self::KIND);
        let notice = Notice {
            user_id: &delivery.event.user_id,
            kind: declared(SECURITY),
            message: "",
            link: "/settings/sessions",
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `enrollment.created` → "You're enrolled in <course>" to the learner, linking
/// to the course's learning page. Idempotent through the source key
/// `notifications.enrolled:<event id>`; enrolling again after leaving is a new
/// event, so a new notice.
pub struct EnrolledNotice;
impl Job for EnrolledNotice {
    const KIND: &'static str = "notifications.enrolled";
    type Payload = Delivery<EnrollmentCreated>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let key = delivery.key(Self::KIND);
        let event = &delivery.event;
        let link = format!("/learn/{}", event.course_slug);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(COURSE_ENROLLED),
            // The kind names its subject: the course title goes into the title and body.
            message: &event.course_title,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `enrollment.cancelled` by staff → "You were removed from <course>" to the
/// learner, linking to the course page. A learner who left on their own is
/// told nothing (they just did it). Idempotent through the source key
/// `notifications.unenrolled:<event id>`.
pub struct UnenrolledNotice;
impl Job for UnenrolledNotice {
    const KIND: &'static str = "notifications.unenrolled";
    type Payload = Delivery<EnrollmentCancelled>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        if !event.by_staff {
            return Ok(());
        }
        let key = delivery.key(Self::KIND);
        let link = format!("/courses/{}", event.course_slug);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(COURSE_UNENROLLED),
            message: &event.course_title,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `course.completed` → "Congratulations — your certificate is ready", linking
/// to the certificate. Idempotent through the source key
/// `notifications.course_completed:<event id>`; the event itself is published
/// once per learner and course (with the certificate's insert).
pub struct CourseCompletedNotice;
impl Job for CourseCompletedNotice {
    const KIND: &'static str = "notifications.course_completed";
    type Payload = Delivery<CourseCompleted>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let key = delivery.key(Self::KIND);
        let link = format!("/certificates/{}", delivery.event.certificate_code);
        let notice = Notice {
            user_id: &delivery.event.user_id,
            kind: declared(COURSE_COMPLETED),
            message: &delivery.event.course_title,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `quiz.attempt_graded` by a person → "Your quiz was graded", linking to
/// the attempt's review. An attempt that graded itself at submit is not
/// announced (the learner saw it happen). Idempotent through the source key
/// `notifications.quiz_graded:<event id>`.
pub struct QuizGradedNotice;
impl Job for QuizGradedNotice {
    const KIND: &'static str = "notifications.quiz_graded";
    type Payload = Delivery<AttemptGraded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        if !event.manual {
            return Ok(());
        }
        let key = delivery.key(Self::KIND);
        let link = format!("/quiz-attempts/{}/review", event.attempt_id);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(QUIZ_GRADED),
            message: &event.quiz_title,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `assignment.submitted` → a receipt to the learner ("Your work for <title>
/// was submitted"), linking to the assignment. Idempotent through the source
/// key `notifications.assignment_submitted:<event id>`; a resubmission is a
/// new event, so a new receipt.
pub struct AssignmentSubmittedNotice;
impl Job for AssignmentSubmittedNotice {
    const KIND: &'static str = "notifications.assignment_submitted";
    type Payload = Delivery<SubmissionSubmitted>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        let key = delivery.key(Self::KIND);
        let link = format!("/assignments/{}", event.assignment_id);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(ASSIGNMENT_SUBMITTED),
            message: &event.assignment_title,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `assignment.graded` → "Your assignment was graded" to the learner,
/// linking to the assignment's page (grade and feedback). Sent when the
/// grade became visible to them: as graded, or at the release. Idempotent
/// through the source key `notifications.assignment_graded:<event id>`; a
/// changed grade is a new event, so a new notice.
pub struct AssignmentGradedNotice;
impl Job for AssignmentGradedNotice {
    const KIND: &'static str = "notifications.assignment_graded";
    type Payload = Delivery<SubmissionGraded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        let key = delivery.key(Self::KIND);
        let link = format!("/assignments/{}", event.assignment_id);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(ASSIGNMENT_GRADED),
            message: &event.assignment_title,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `billing.order_paid` → the buyer's receipt, linking to the order (and its
/// invoice). Idempotent through the source key `notifications.receipt:<event id>`.
pub struct ReceiptNotice;
impl Job for ReceiptNotice {
    const KIND: &'static str = "notifications.receipt";
    type Payload = Delivery<OrderPaid>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        let key = delivery.key(Self::KIND);
        let link = format!("/orders/{}", event.order_id);
        let subject = lyceum_billing::model::order_number(&event.order_id);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(PAYMENT_RECEIPT),
            message: &subject,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `billing.subscription_period_paid` → the buyer's receipt for a
/// subscription's order, sent once the payment is applied so it names the
/// period it paid for: "L-1A2B3C4D — All access, 2026-12-07 – 2027-01-07"
/// (the plan's own name; days in UTC, as the periods are counted). Same
/// kind as a course's receipt; idempotent through the source key
/// `notifications.subscription_receipt:<event id>`.
pub struct SubscriptionReceiptNotice;
impl Job for SubscriptionReceiptNotice {
    const KIND: &'static str = "notifications.subscription_receipt";
    type Payload = Delivery<SubscriptionPeriodPaid>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        let key = delivery.key(Self::KIND);
        let link = format!("/orders/{}", event.order_id);
        let subject = subscription_receipt_subject(event);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(PAYMENT_RECEIPT),
            message: &subject,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// "L-1A2B3C4D — All access, 2026-12-07 – 2027-01-07".
fn subscription_receipt_subject(event: &SubscriptionPeriodPaid) -> String {
    let day =
        |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d").to_string()).unwrap_or_default();
    let number = lyceum_billing::model::order_number(&event.order_id);
    format!("{number} — {}, {} – {}", event.plan_name, day(event.period_start), day(event.period_end))
}

/// `billing.renewal_failed` → "Your subscription's renewal is not paid",
/// linking to the renewal order to pay. Once per attempt (each is its own
/// event); idempotent through the source key `notifications.renewal_failed:<event id>`.
pub struct RenewalFailedNotice;
impl Job for RenewalFailedNotice {
    const KIND: &'static str = "notifications.renewal_failed";
    type Payload = Delivery<RenewalFailed>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        let key = delivery.key(Self::KIND);
        let link = format!("/orders/{}", event.order_id);
        let subject = lyceum_billing::model::order_number(&event.order_id);
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(RENEWAL_FAILED),
            message: &subject,
            link: &link,
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `billing.subscription_ended` by a lapse → "Your subscription has lapsed",
/// linking to the subscription's page (a cancellation the learner asked
/// for is not announced). Idempotent through the source key
/// `notifications.subscription_lapsed:<event id>`.
pub struct SubscriptionLapsedNotice;
impl Job for SubscriptionLapsedNotice {
    const KIND: &'static str = "notifications.subscription_lapsed";
    type Payload = Delivery<SubscriptionEnded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        if event.reason != "lapsed" {
            return Ok(());
        }
        let key = delivery.key(Self::KIND);
        let subject = event.order_id.as_deref().map(lyceum_billing::model::order_number).unwrap_or_default();
        let notice = Notice {
            user_id: &event.user_id,
            kind: declared(SUBSCRIPTION_LAPSED),
            message: &subject,
            link: "/subscription",
            source_key: &key,
        };
        notify(state, notice).await
    }
}

/// `forum.post_notice` → one notice per recipient of the batch, in one
/// transaction: a post in a thread or forum they follow, an announcement
/// (important: always e-mailed), or a post naming them; titled with the thread and its author,
/// the post's text as its message, linking to the post. Idempotent per
/// (post, recipient) through the source key `forum.post_notice:<post id>:<user id>`
/// — whichever batch or rerun comes first records it, so a member both
/// mentioned and subscribed gets one notice.
pub struct ForumPostNotice;
impl Job for ForumPostNotice {
    const KIND: &'static str = "notifications.forum_post";
    type Payload = Delivery<PostNotice>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let event = &delivery.event;
        let kind = match (event.reason, event.important) {
            (NoticeReason::Mention, _) => FORUM_MENTION,
            (NoticeReason::Announcement, true) => FORUM_ANNOUNCEMENT_IMPORTANT,
            (NoticeReason::Announcement, false) => FORUM_ANNOUNCEMENT,
            (NoticeReason::Followed, _) => FORUM_POST,
        };
        let about = About { subject: &event.title, actor: &event.author_name, thread_id: Some(&event.thread_id) };
        let recipients =
            event.recipients.iter().map(|user| (user.as_str(), format!("forum.post_notice:{}:{user}", event.post_id)));
        let notices = Notices {
            kind: declared(kind),
            message: &event.excerpt,
            link: &event.link,
            recipients: recipients.collect(),
        };
        notify_each(state, notices, about).await
    }
}

/// `forum.post_flagged` → "A post was flagged in <course>" to each of the
/// course's instructors (not the one who flagged it), linking to the course's
/// moderation queue. Idempotent through the source key
/// `notifications.forum_post_flagged:<event id>:<user id>`.
pub struct PostFlaggedNotice;
impl Job for PostFlaggedNotice {
    const KIND: &'static str = "notifications.forum_post_flagged";
    type Payload = Delivery<PostFlagged>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let alert = lyceum_forums::service::flags::alert(state, &delivery.event)
            .await
            .map_err(lyceum_platform::AppError::from)?;
        let Some(alert) = alert else { return Ok(()) };
        for user_id in &alert.recipients {
            let key = format!("{}:{user_id}", delivery.key(Self::KIND));
            let notice = Notice {
                user_id,
                kind: declared(FORUM_POST_FLAGGED),
                message: &alert.course_title,
                link: &alert.link,
                source_key: &key,
            };
            notify(state, notice).await?;
        }
        Ok(())
    }
}

/// The payload of an admin's test notification (visible to admins; no secret).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestRequest {
    pub user_id: String,
    /// Fresh for each request; part of the source key.
    pub request_id: String,
    pub message: String,
}

/// An admin's test notification. Idempotent through the source key
/// `notifications.admin_test:<request id>`.
pub struct AdminTestNotice;
impl Job for AdminTestNotice {
    const KIND: &'static str = "notifications.admin_test";
    type Payload = TestRequest;
    async fn run(state: &AppState, req: TestRequest) -> Result<(), JobError> {
        let key = format!("{}:{}", Self::KIND, req.request_id);
        let notice = Notice {
            user_id: &req.user_id,
            kind: declared(ADMIN_TEST),
            message: &req.message,
            link: "",
            source_key: &key,
        };
        notify(state, notice).await
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailPayload {
    pub notification_id: String,
}

/// The e-mail of one notification on the `email` channel. Idempotent through
/// the delivery key `notifications.mail:<notification id>` in `mail_deliveries`:
/// skipped when recorded, recorded right after the send.
pub struct NotificationMail;
impl Job for NotificationMail {
    const KIND: &'static str = "notifications.mail";
    type Payload = MailPayload;
    async fn run(state: &AppState, payload: MailPayload) -> Result<(), JobError> {
        let key = format!("{}:{}", Self::KIND, payload.notification_id);
        if deliveries::is_sent(state.db.pool(), &key).await? {
            tracing::info!(%key, "e-mail already sent; duplicate delivery skipped");
            return Ok(());
        }
        let Some(notification) = notifications::by_id(state.db.pool(), &payload.notification_id).await? else {
            return Ok(()); // deleted with its account
        };
        let Some(user) = super::recipient(state, &notification.user_id).await? else { return Ok(()) };
        if user.is_disabled() {
            return Ok(());
        }
        super::mail::send_notification(state, &user, &notification).await?;
        Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, &key).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_receipt_names_its_plan_and_period() {
        let event = SubscriptionPeriodPaid {
            subscription_id: "s1".into(),
            order_id: "0190abcd1a2b3c4d".into(),
            user_id: "u1".into(),
            plan_name: "All access".into(),
            interval: "month".into(),
            period_start: 1_796_601_600_000,
            period_end: 1_799_280_000_000,
        };
        assert_eq!(subscription_receipt_subject(&event), "L-1A2B3C4D — All access, 2026-12-07 – 2027-01-07");
    }
}
