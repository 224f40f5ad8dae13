//! Assembles the modules into one application (the composition root).

pub mod admin_cli;
pub mod app;
pub mod demo;
pub mod home;
mod listener;
pub mod openapi;
pub mod serve;

pub use app::{build_state, job_registry, modules, router};
pub use serve::{Running, start};
