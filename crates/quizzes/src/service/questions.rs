//! Writing and reading a bank's questions. Every edit is a new version; a
//! delete is soft (attempts will keep pointing at the versions they showed).

use std::collections::HashMap;

use lyceum_assessment::{Question, format::gift};
use lyceum_platform::{
    AppError, AppState, Text,
    auth::Viewer,
    ids::CourseId,
    keyset::{PageRequest, Paged},
};

use super::{bank_course, categories, decode, encode, visible_question, visible_row};
use crate::{
    BankError,
    model::{BankQuestion, CategoryId, Filter, QuestionId, QuestionRow, Version},
    repo::questions as repo,
};

/// A question as a teacher sends it: the JSON model, or one question in GIFT.
pub enum Draft {
    Model(Box<Question>),
    Gift(String),
}

impl Draft {
    /// The question, checked: a JSON one by `Question::validate`, a GIFT one
    /// by the parser (which validates too and says on which line).
    pub fn parse(self) -> Result<Question, BankError> {
        match self {
            Draft::Model(question) => {
                question.validate().map_err(BankError::Invalid)?;
                Ok(*question)
            }
            Draft::Gift(text) => one_gift_question(&text).map_err(BankError::Other),
        }
    }
}

fn one_gift_question(text: &str) -> Result<Question, AppError> {
    let mut report = gift::parse(text);
    if let Some(problem) = report.problems.first() {
        let text = Text::new("quizzes.errors.gift_problem").arg("line", problem.line).arg("reason", &problem.message);
        return Err(AppError::field("gift", text));
    }
    match report.questions.len() {
        1 => Ok(report.questions.remove(0).question),
        0 => Err(AppError::field("gift", Text::new("quizzes.errors.gift_empty"))),
        n => Err(AppError::field("gift", Text::new("quizzes.errors.gift_several").arg("count", n))),
    }
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    category: Option<&CategoryId>,
    draft: Draft,
) -> Result<BankQuestion, BankError> {
    let question = draft.parse()?;
    let data = encode(&question)?;
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    let category = match category {
        Some(id) => categories::of_course(&mut tx, course_id, id, Some("category_id")).await?,
        None => categories::default_of(&mut tx, course_id).await?,
    };
    let new = repo::NewQuestion {
        course_id: course_id.as_str(),
        category_id: &category.id,
        name: &question.name,
        kind: question.kind_name(),
        data: &data,
        created_by: &viewer.user_id,
    };
    let id = repo::insert(&mut tx, &new).await?;
    let row = repo::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(BankQuestion { row, question })
}

/// Saves `draft` as the question's next version (and moves it to `category` when given).
pub async fn edit(
    state: &AppState,
    viewer: &Viewer,
    id: &QuestionId,
    category: Option<&CategoryId>,
    draft: Draft,
) -> Result<BankQuestion, BankError> {
    let question = draft.parse()?;
    let data = encode(&question)?;
    let mut tx = state.db.begin().await?;
    let (course, row) = visible_row(&mut tx, viewer, id).await?;
    let category_id = match category {
        Some(c) => categories::of_course(&mut tx, &CourseId::from(&course.id), c, Some("category_id")).await?.id,
        None => row.category_id,
    };
    let kind = question.kind_name();
    repo::add_version(&mut tx, id.as_str(), &category_id, &question.name, kind, &data, &viewer.user_id).await?;
    let row = repo::by_id(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(BankQuestion { row, question })
}

pub async fn get(state: &AppState, viewer: &Viewer, id: &QuestionId) -> Result<BankQuestion, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(visible_question(&mut conn, viewer, id).await?.1)
}

/// A question with its course's title, for its page.
pub async fn with_course(
    state: &AppState,
    viewer: &Viewer,
    id: &QuestionId,
) -> Result<(lyceum_courses::model::Course, BankQuestion), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    visible_question(&mut conn, viewer, id).await
}

pub async fn delete(state: &AppState, viewer: &Viewer, id: &QuestionId) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    visible_row(&mut tx, viewer, id).await?;
    repo::soft_delete(&mut tx, id.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// Every version, newest first.
pub async fn versions(state: &AppState, viewer: &Viewer, id: &QuestionId) -> Result<Vec<Version>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    visible_row(&mut conn, viewer, id).await?;
    repo::versions(&mut conn, id.as_str())
        .await?
        .into_iter()
        .map(|v| {
            let question = decode(&v.data)?;
            Ok(Version { version: v.version, created_by: v.created_by, created_at: v.created_at, question })
        })
        .collect()
}

/// A page of a bank: question rows (no answers) and how many versions each has.
pub struct BankPage {
    pub items: Paged<QuestionRow>,
    pub versions: HashMap<String, i64>,
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    filter: &Filter,
    page: &PageRequest,
) -> Result<BankPage, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    bank_course(&mut conn, viewer, course_id).await?;
    if let Some(category) = &filter.category_id {
        categories::of_course(&mut conn, course_id, category, Some("category")).await?;
    }
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let rows = repo::list(&mut conn, course_id.as_str(), filter, before, page.fetch()).await?;
    let items = Paged::from_rows(rows, page, |r| (r.created_at, r.id.as_str()));
    let ids: Vec<String> = items.items.iter().map(|r| r.id.clone()).collect();
    let versions = repo::version_counts(&mut conn, &ids).await?;
    Ok(BankPage { items, versions })
}

/// Moves the course's questions `ids` into `category`; returns how many moved
/// (ids of other courses or deleted questions are left alone).
pub async fn move_to(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    question_ids: &[QuestionId],
    category: &CategoryId,
) -> Result<u64, AppError> {
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    categories::of_course(&mut tx, course_id, category, Some("category_id")).await?;
    let ids: Vec<String> = question_ids.iter().map(|q| q.as_str().to_string()).collect();
    let moved = repo::move_to(&mut tx, course_id.as_str(), &ids, category.as_str()).await?;
    tx.commit().await?;
    Ok(moved)
}
