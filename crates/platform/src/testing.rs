//! For the test suites: how a test whose peer is missing (PostgreSQL, Redis,
//! RabbitMQ, S3, SMTP, Chromium, axe, a Python tool…) reports itself skipped.
//! With `LYCEUM_TEST_REQUIRE_SERVICES=1` (CI exports it) a skip is a failure
//! instead, so a CI run that lost a service cannot pass on tests that asserted
//! nothing.

/// The variable that turns skips into failures.
pub const REQUIRE_SERVICES: &str = "LYCEUM_TEST_REQUIRE_SERVICES";

/// True when skips must fail (`LYCEUM_TEST_REQUIRE_SERVICES` set and not `0`).
pub fn services_required() -> bool {
    std::env::var(REQUIRE_SERVICES).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Reports a test skipped for `reason` — or panics when services are required.
/// The caller returns right after.
pub fn skip(reason: &str) {
    assert!(!services_required(), "cannot skip ({reason}): {REQUIRE_SERVICES} is set, so every peer must be there");
    eprintln!("skipped: {reason}");
}
