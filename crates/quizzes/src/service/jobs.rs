//! The quizzes module's jobs; the server calls [`register_jobs`] when it
//! builds its registry.

use lyceum_platform::jobs::JobRegistry;

pub fn register_jobs(registry: &mut JobRegistry) {
    registry
        .register::<super::deadlines::AttemptDeadline>()
        .register::<super::regrade::RegradeBatch>()
        .register::<super::imports::ImportBatch>();
}
