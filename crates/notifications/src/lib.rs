//! Notifications: in-app notices with an unread count in the page header,
//! per-user channel preferences per kind (in-app, e-mail at once, daily
//! digest, off), notification e-mails with one-click unsubscribe, and the
//! daily digest job.
//!
//! Notifications are created only by this module's jobs, which subscribe to
//! other modules' domain events through the server's job registry; no module
//! calls this one to notify someone.

pub mod http;
pub mod model;
mod repo;
pub mod service;

pub use http::{api_routes, badge::unread_badge, page_routes};
pub use service::{digest::DailyDigest, jobs::register_jobs};
