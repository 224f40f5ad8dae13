//! The API: `/api/v1/courses/{id}/assignments`, `/api/v1/assignments/{id}…`,
//! `/api/v1/assignment-submissions/{id}…`.

pub mod assignments;
pub mod attachments;
mod definition_routes;
pub mod definitions;
pub mod dto;
mod dto_tries;
pub mod feedback;
pub mod guides;
pub mod rubrics;
pub mod scales;
pub mod submissions;
pub mod worksheet;
