//! The server's integration tests, as one test binary: each module below was
//! a test file of its own, and each linked the whole application, so the
//! links were most of a debug build. Run one former file with
//! `cargo test -p lyceum --test it api_auth::`, one test with its full path
//! (`api_auth::sqlite::register_verify_login`).
//!
//! Everything here shares one process: state that separate processes used to
//! keep apart must be per test (a fresh app and database each, ports the OS
//! picks, unique ids in global job counters) or held under a lock (the
//! process-wide metrics registry: [`common::METRICS`]).

#[macro_use]
mod common;

// Kits: helpers shared by several test modules.
mod amqp_kit;
mod billing_kit;
mod browser_kit;
mod catalog_kit;
mod courses_kit;
mod enrollment_kit;
mod forums_kit;
mod forwarder;
mod jobs_kit;
mod learning_kit;
mod openapi_kit;
mod quiz_kit;
#[path = "../../../platform/tests/it/s3.rs"]
mod s3;
#[path = "../../../platform/tests/it/smtp_server/mod.rs"]
mod smtp_server;
mod stripe_kit;

// The tests, one module per area.
mod account_mail_jobs;
mod api_admin;
mod api_auth;
mod api_contract;
mod api_errors;
mod api_jobs;
mod api_openapi;
mod api_openapi_shape;
mod api_passwords;
mod api_rate_limits;
mod api_tokens;
mod architecture_rules;
mod assignments;
mod assignments_attachments;
mod assignments_grading;
mod assignments_rules;
mod assignments_uploads;
mod assignments_worksheet;
mod avatar_visibility;
mod billing_coupons;
mod billing_coupons_pages;
mod billing_orders;
mod billing_paypal;
mod billing_stripe;
mod billing_stripe_subscriptions;
mod billing_stripe_webhooks;
mod billing_subscription_orders;
mod billing_subscriptions;
mod billing_tax;
mod browser;
mod browser_assignment_journey;
mod browser_assignments;
mod browser_coupons;
mod browser_forums;
mod browser_forums_journey;
mod browser_gradebook;
mod browser_learner;
mod browser_paypal;
mod browser_quiz;
mod browser_staff;
mod browser_stripe;
mod browser_subscriptions;
mod caching_personal;
mod catalog;
mod catalog_cache;
mod catalog_pages;
mod cli;
mod courses_access;
mod courses_authoring;
mod courses_pages;
mod courses_uploads;
mod db_outage;
mod demo;
mod email_change;
mod enrollment_api;
mod enrollment_concurrency;
mod enrollment_pages;
mod first_admin;
mod forums;
mod forums_access;
mod forums_attachments;
mod forums_fanout_amqp;
mod forums_links;
mod forums_moderation;
mod forums_notifications;
mod french;
mod gradebook;
mod gradebook_certificate;
mod gradebook_import;
mod gradebook_settings;
mod gradebook_sorting;
mod i18n_keys;
mod invalid_token_is_401;
mod job_failures;
mod job_schedules;
mod jobs;
mod jobs_amqp;
mod jobs_workers;
mod journey_scale_out;
mod learning_access;
mod learning_progress;
mod lesson_images;
mod load_shedding;
mod mail_outage;
mod metrics_exposure;
mod migrations;
mod notifications;
mod notifications_pages;
mod pages_accounts;
mod password_change_ends_access;
mod profiles;
mod quiz_attempts;
mod quiz_attempts_pages;
mod quiz_bank;
mod quiz_bank_pages;
mod quiz_bank_races;
mod quiz_editor_pages;
mod quiz_files;
mod quiz_imports;
mod quiz_overrides_pages;
mod scale_out;
mod sessions;
mod smoke;
mod sqlite_contention;
mod staff_rule;
