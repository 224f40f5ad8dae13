//! Typed ids: one newtype over `String` per kind of id (`UserId`, `CourseId`,
//! `ModuleId`, `LessonId`, `TokenId`, `NotificationId`).
//!
//! Service functions that took two bare `&str` ids, such as
//! `is_active(conn, course_id, user_id)`, compiled just as well with the two
//! swapped, and the mistake only showed up as a wrong answer at run time. With
//! a newtype per kind, passing a user's id where a course's is expected is a
//! type error. The rule (docs/architecture.md, and the architecture rules
//! test): public service functions take typed ids; repositories, SQL and
//! model structs keep plain strings, converted at the service boundary with
//! [`UserId::as_str`] and friends.
//!
//! Each id (de)serializes as a bare string (`#[serde(transparent)]`), so
//! `axum::extract::Path<CourseId>` works and JSON is unchanged.
//!
//! ```compile_fail
//! use lyceum_platform::ids::{CourseId, UserId};
//!
//! fn course_of(course_id: &CourseId) -> &str {
//!     course_id.as_str()
//! }
//!
//! let user = UserId::from("0190c3a4-user".to_string());
//! course_of(&user); // a UserId is not a CourseId
//! ```
//!
//! The same with the right id compiles:
//!
//! ```
//! use lyceum_platform::ids::CourseId;
//!
//! fn course_of(course_id: &CourseId) -> &str {
//!     course_id.as_str()
//! }
//!
//! let course = CourseId::from("0190c3a4-course".to_string());
//! assert_eq!(course_of(&course), "0190c3a4-course");
//! ```

/// Declares typed ids (what this module's are made with); other modules
/// declare their own with `lyceum_platform::typed_ids! { /// doc\n Name; … }`.
#[macro_export]
macro_rules! typed_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new time-ordered (UUID v7) id, as `db::new_id()` makes.
            pub fn new_v7() -> Self {
                Self($crate::db::new_id())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

typed_ids! {
    /// A user account's id (`users.id`).
    UserId;
    /// A course's id (`courses.id`), not its slug.
    CourseId;
    /// A course module's id (`course_modules.id`).
    ModuleId;
    /// A lesson's id (`lessons.id`).
    LessonId;
    /// An API token's id (`api_tokens.id`).
    TokenId;
    /// An in-app notification's id (`notifications.id`).
    NotificationId;
}

/// Typed ids as the plain strings repositories bind (`&[CourseId]` to `Vec<String>`).
pub fn strings<T: AsRef<str>>(ids: &[T]) -> Vec<String> {
    ids.iter().map(|id| id.as_ref().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bare_strings_in_json() {
        let id = CourseId::from("c-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"c-1\"");
        let back: CourseId = serde_json::from_str("\"c-1\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(back.to_string(), "c-1");
        assert_eq!(back.into_string(), "c-1");
    }

    #[test]
    fn new_ids_differ() {
        assert_ne!(UserId::new_v7(), UserId::new_v7());
    }
}
