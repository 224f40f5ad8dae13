//! Creating, editing, publishing, listing and deleting courses.

use lyceum_platform::ids::CourseId;
use lyceum_platform::keyset::{PageRequest, Paged};
use lyceum_platform::{AppError, AppState, FieldError, Text, auth::Viewer, db, money::Currency};
use sqlx::AnyConnection;

use super::{access, changed, commit, guard_enrolled, remove_files};
use crate::{
    model::{self, Category, Course, CourseState, Instructor, Level, ModuleOutline},
    repo::{self, courses::Fields},
};

/// A course with everything the editor shows.
#[derive(Debug, Clone)]
pub struct CourseView {
    pub course: Course,
    pub category: Option<Category>,
    pub tags: Vec<String>,
    pub instructors: Vec<Instructor>,
    pub outline: Vec<ModuleOutline>,
    pub enrolled: i64,
}

impl CourseView {
    pub fn lesson_count(&self) -> usize {
        self.outline.iter().map(|m| m.lessons.len()).sum()
    }

    /// The first lesson in outline order, where "preview as a learner" starts.
    pub fn first_lesson_id(&self) -> Option<&str> {
        self.outline.iter().flat_map(|m| m.lessons.first()).map(|l| l.id.as_str()).next()
    }
}

/// Fields of a create or an edit; `None` leaves a field as it is (create: the
/// default). The inner `Option` of nullable fields clears them.
#[derive(Debug, Default, Clone)]
pub struct CourseInput {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Category slug.
    pub category: Option<Option<String>>,
    pub level: Option<String>,
    pub language: Option<String>,
    pub tags: Option<Vec<String>>,
    pub price_minor: Option<i64>,
    pub currency: Option<Option<String>>,
    pub seat_limit: Option<Option<i64>>,
}

/// The checked fields, ready to write.
struct Valid {
    slug: Option<String>,
    title: String,
    summary: String,
    description: String,
    category_id: Option<String>,
    level: Level,
    language: String,
    tags: Vec<String>,
    price_minor: i64,
    currency: Option<Currency>,
    seat_limit: Option<i64>,
}

impl Valid {
    fn fields<'a>(&'a self, slug: &'a str) -> Fields<'a> {
        Fields {
            slug,
            title: &self.title,
            summary: &self.summary,
            description_md: &self.description,
            category_id: self.category_id.as_deref(),
            level: self.level.as_str(),
            language: &self.language,
            price_minor: self.price_minor,
            currency: self.currency.map(Currency::as_str),
            seat_limit: self.seat_limit,
        }
    }
}

/// Field problems found so far; a failed check yields a placeholder so every
/// field is checked and all problems are reported together.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn take<T: Default>(&mut self, checked: Result<T, FieldError>) -> T {
        checked.unwrap_or_else(|e| {
            self.0.push(e);
            T::default()
        })
    }
}

/// Checks every field at once (merged over `base` for an edit) and reports all problems together.
async fn validate(
    conn: &mut AnyConnection,
    input: CourseInput,
    base: Option<(&Course, &[String])>,
) -> Result<Valid, AppError> {
    let mut p = Problems::default();
    let old = base.map(|(c, _)| c);
    let merged = |new: Option<String>, old_value: fn(&Course) -> &str, default: &str| {
        new.unwrap_or_else(|| old.map(old_value).unwrap_or(default).to_string())
    };
    let title = merged(input.title, |c| &c.title, "");
    let summary = merged(input.summary, |c| &c.summary, "");
    let description = merged(input.description, |c| &c.description_md, "");
    let level = merged(input.level, |c| &c.level, "beginner");
    let language = merged(input.language, |c| &c.language, "en");
    let tags = input.tags.unwrap_or_else(|| base.map(|(_, t)| t.to_vec()).unwrap_or_default());
    let seat_limit = input.seat_limit.unwrap_or_else(|| old.and_then(|c| c.seat_limit));
    let price_minor = input.price_minor.unwrap_or_else(|| old.map(|c| c.price_minor).unwrap_or(0));
    let currency = input.currency.unwrap_or_else(|| old.and_then(|c| c.currency.clone()));
    // An edit that leaves the category alone passes its stored id, which matches too.
    let category = input.category.unwrap_or_else(|| old.and_then(|c| c.category_id.clone()));

    let slug = match input.slug.filter(|s| !s.trim().is_empty()) {
        Some(s) => p.take(model::parse_slug(&s).map(Some)),
        None => old.map(|c| c.slug.clone()),
    };
    let level = p.take(
        Level::parse(level.trim()).map(Some).ok_or_else(|| FieldError::new("level", Text::new("courses.errors.level"))),
    );
    let valid = Valid {
        slug,
        title: p.take(model::parse_title("title", &title, model::TITLE_MIN)),
        summary: p.take(model::parse_text("summary", &summary, model::SUMMARY_MAX)),
        description: p.take(model::parse_text("description", &description, model::DESCRIPTION_MAX)),
        category_id: p.take(resolve_category(conn, category.as_deref()).await?),
        level: level.unwrap_or(Level::Beginner),
        language: p.take(model::parse_language(&language)),
        tags: p.take(model::parse_tags(&tags)),
        price_minor,
        currency: model::check_price(price_minor, currency.as_deref()).unwrap_or_else(|e| {
            p.0.extend(e);
            None
        }),
        seat_limit: p.take(model::check_seat_limit(seat_limit)),
    };
    if p.0.is_empty() { Ok(valid) } else { Err(AppError::validation(p.0)) }
}

/// A category by slug (or stored id) → its id; empty means none.
async fn resolve_category(
    conn: &mut AnyConnection,
    wanted: Option<&str>,
) -> Result<Result<Option<String>, FieldError>, AppError> {
    let Some(wanted) = wanted.map(str::trim).filter(|c| !c.is_empty()) else { return Ok(Ok(None)) };
    let all = repo::courses::categories(conn).await?;
    Ok(all
        .into_iter()
        .find(|c| c.slug == wanted || c.id == wanted)
        .map(|c| Some(c.id))
        .ok_or_else(|| FieldError::new("category", Text::new("courses.errors.category"))))
}

fn slug_clash() -> AppError {
    AppError::field("slug", Text::new("courses.errors.slug_taken"))
}

/// The explicit slug if free (else a field error), or one made from the title with a numeric suffix.
async fn free_slug(conn: &mut AnyConnection, wanted: Option<&str>, title: &str, id: &str) -> Result<String, AppError> {
    if let Some(slug) = wanted {
        if repo::courses::slug_taken(conn, slug, id).await? {
            return Err(slug_clash());
        }
        return Ok(slug.to_string());
    }
    let base = model::suggest_slug(title);
    for n in 1..50 {
        let candidate = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if !repo::courses::slug_taken(conn, &candidate, id).await? {
            return Ok(candidate);
        }
    }
    Ok(format!("{base}-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]))
}

/// A unique violation on the slug index (a race with another writer) is the same field error.
fn slug_race(e: sqlx::Error) -> AppError {
    if db::is_unique_violation(&e) { slug_clash() } else { e.into() }
}

pub async fn create(state: &AppState, viewer: &Viewer, input: CourseInput) -> Result<CourseView, AppError> {
    access::require_author(viewer)?;
    let mut tx = state.db.begin().await?;
    let valid = validate(&mut tx, input, None).await?;
    let id = CourseId::new_v7();
    let slug = free_slug(&mut tx, valid.slug.as_deref(), &valid.title, id.as_str()).await?;
    repo::courses::insert(&mut tx, id.as_str(), &valid.fields(&slug), &viewer.user_id).await.map_err(slug_race)?;
    repo::courses::set_tags(&mut tx, id.as_str(), &valid.tags).await?;
    repo::instructors::add(&mut tx, id.as_str(), &viewer.user_id, "owner").await?;
    let course = repo::courses::by_id(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    changed(&mut tx, &course, false).await?;
    commit(state, tx).await?;
    get(state, viewer, &id).await
}

pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: &CourseId,
    input: CourseInput,
) -> Result<CourseView, AppError> {
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, id).await?.course;
    let tags = repo::courses::tags(&mut tx, id.as_str()).await?;
    let valid = validate(&mut tx, input, Some((&course, &tags))).await?;
    let slug = free_slug(&mut tx, valid.slug.as_deref(), &valid.title, id.as_str()).await?;
    repo::courses::update(&mut tx, id.as_str(), &valid.fields(&slug)).await.map_err(slug_race)?;
    repo::courses::set_tags(&mut tx, id.as_str(), &valid.tags).await?;
    changed(&mut tx, &course, false).await?;
    commit(state, tx).await?;
    get(state, viewer, id).await
}

pub async fn get(state: &AppState, viewer: &Viewer, id: &CourseId) -> Result<CourseView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = access::editable(&mut conn, viewer, id).await?.course;
    view(&mut conn, course).await
}

async fn view(conn: &mut AnyConnection, course: Course) -> Result<CourseView, AppError> {
    let categories = repo::courses::categories(conn).await?;
    let category = categories.into_iter().find(|c| Some(&c.id) == course.category_id.as_ref());
    let tags = repo::courses::tags(conn, &course.id).await?;
    let instructors = super::instructors::of(conn, &CourseId::from(&course.id)).await?;
    let outline = super::outline::load(conn, &CourseId::from(&course.id)).await?;
    let enrolled = course.enrolled_count;
    Ok(CourseView { course, category, tags, instructors, outline, enrolled })
}

/// Moves a course to `to` (see [`CourseState::can_become`]); publishing needs a lesson.
pub async fn transition(
    state: &AppState,
    viewer: &Viewer,
    id: &CourseId,
    to: CourseState,
) -> Result<CourseView, AppError> {
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, id).await?.course;
    let from = course.state();
    if !from.can_become(to) {
        let key = if from == CourseState::Draft {
            "courses.errors.state_change_draft"
        } else {
            "courses.errors.state_change"
        };
        let refusal = Text::new(key).arg("from", from.as_str()).arg("to", to.as_str());
        return Err(AppError::conflict(refusal).with_kind("invalid-state-change"));
    }
    let published_at = match to {
        CourseState::Published => {
            if repo::outline::lesson_count(&mut tx, id.as_str()).await? == 0 {
                let mut e = AppError::validation(Vec::new())
                    .with_kind("course-has-no-lessons")
                    .with_detail(Text::new("courses.errors.no_lessons"));
                e.title = "The course has no lessons";
                return Err(e);
            }
            let empty = repo::outline::empty_media_lessons(&mut tx, id.as_str()).await?;
            if !empty.is_empty() {
                let mut e = AppError::validation(Vec::new()).with_kind("course-has-empty-lessons");
                e.title = "Some lessons have nothing to show";
                let titles = empty.iter().map(|t| format!("\u{201c}{t}\u{201d}")).collect::<Vec<_>>().join(", ");
                e = e.with_detail(Text::new("courses.errors.empty_lessons").arg("lessons", titles));
                return Err(e);
            }
            Some(db::now_ms())
        }
        CourseState::Archived => course.published_at,
        CourseState::Draft => None,
    };
    repo::courses::set_state(&mut tx, id.as_str(), to.as_str(), published_at).await?;
    changed(&mut tx, &course, false).await?;
    commit(state, tx).await?;
    get(state, viewer, id).await
}

/// Deletes a course with its outline, tags and enrollments (cascade), then its files.
pub async fn delete(state: &AppState, viewer: &Viewer, id: &CourseId, force: bool) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let editable = access::editable(&mut tx, viewer, id).await?;
    if !editable.may_delete(viewer) {
        return Err(AppError::forbidden(Text::new("courses.errors.delete_owner_only")));
    }
    guard_enrolled(editable.course.enrolled_count, force, "course")?;
    let mut files = repo::outline::media_keys_of_course(&mut tx, id.as_str()).await?;
    files.extend(editable.course.cover_key.clone());
    repo::courses::delete(&mut tx, id.as_str()).await?;
    changed(&mut tx, &editable.course, true).await?;
    commit(state, tx).await?;
    remove_files(state, &files).await;
    // Every lesson's images, in one folder per course.
    if let Err(e) = state.storage.delete_prefix(&format!("courses/{id}/lessons")).await {
        tracing::warn!(course_id = %id, error = %e, "lesson images not removed");
    }
    Ok(())
}

/// How many learners a delete would affect (for the confirmation page).
pub async fn enrolled(state: &AppState, viewer: &Viewer, id: &CourseId) -> Result<(Course, i64), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = access::editable(&mut conn, viewer, id).await?.course;
    let n = course.enrolled_count;
    Ok((course, n))
}

/// The viewer's courses (every course for admins), newest first; cursor `created_at:id`.
pub async fn list(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<Course>, AppError> {
    access::require_author(viewer)?;
    let before = page.before()?;
    let filter = repo::courses::ListFilter {
        instructor: (!viewer.is_admin()).then_some(viewer.user_id.as_str()),
        before: before.as_ref().map(|(at, id)| (*at, id.as_str())),
        limit: page.fetch(),
    };
    let mut conn = state.db.pool().acquire().await?;
    let rows = repo::courses::list(&mut conn, filter).await?;
    Ok(Paged::from_rows(rows, page, |r| (r.created_at, r.id.as_str())))
}

pub async fn categories(state: &AppState) -> Result<Vec<Category>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(repo::courses::categories(&mut conn).await?)
}
