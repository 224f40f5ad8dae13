//! Images shown in question texts. Staff upload them to a course's bank (or
//! a Moodle XML import brings them embedded) and write them into a text as
//! `![…](/question-files/<id>)`; they are stored through the storage port
//! under `quizzes/courses/<course>/question-files/`, byte for byte (a round
//! trip through Moodle XML gives the same file back), typed by their content:
//! PNG, JPEG, GIF or WebP, never SVG.
//!
//! Who may fetch one: the course's staff, and its learners while they are
//! enrolled (a question's image is in their attempt, or will be). Everyone
//! else gets 404, as for the bank itself.

use axum::body::Bytes;
use lyceum_assessment::{
    Question,
    format::{Attachment, moodle_xml::plugin_file_refs},
};
use lyceum_platform::{AppError, AppState, auth::Viewer, db, ids::CourseId, storage::Storage, upload::Family};
use sqlx::AnyConnection;

use super::{bank_course, files};
use crate::{QuizError, repo, repo::files::FileRow, settings::QuizUploads};

/// Where question files are served.
pub const URL_PREFIX: &str = "/question-files/";

/// The address of a question file.
pub fn url(id: &str) -> String {
    format!("{URL_PREFIX}{id}")
}

/// The markdown that shows a question file, with `alt` as its description.
pub fn markdown(id: &str, alt: &str) -> String {
    let alt: String = alt.chars().filter(|c| !matches!(c, '[' | ']' | '\n' | '\r')).collect();
    format!("![{}]({})", alt.trim(), url(id))
}

fn key(course_id: &str, id: &str, extension: &str) -> String {
    format!("quizzes/courses/{course_id}/question-files/{id}.{extension}")
}

fn max_bytes(state: &AppState) -> usize {
    state.settings.section::<QuizUploads>().question_file_max_bytes
}

/// A checked image, ready to store in a course's bank.
struct Checked {
    row: FileRow,
    data: Bytes,
}

fn checked(state: &AppState, course_id: &str, name: &str, data: Bytes) -> Result<Checked, QuizError> {
    let detected = files::check(&data, max_bytes(state), &[Family::Image])?;
    let id = db::new_id();
    let row = FileRow {
        storage_key: key(course_id, &id, detected.extension),
        id,
        owner_id: course_id.to_string(),
        slot: 0,
        name: lyceum_platform::upload::display_name(name, detected.extension),
        content_type: detected.mime.to_string(),
        size: data.len() as i64,
        created_at: db::now_ms(),
    };
    Ok(Checked { row, data })
}

/// Stores an uploaded image in the bank of a course the viewer is staff of.
pub async fn upload(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    name: &str,
    data: Bytes,
) -> Result<FileRow, QuizError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        bank_course(&mut conn, viewer, course_id).await?;
    }
    let Checked { row, data } = checked(state, course_id.as_str(), name, data)?;
    state.storage.put_typed(&row.storage_key, data, &row.content_type).await.map_err(AppError::from)?;
    let stored =
        repo::files::insert_question_file(&mut *state.db.autocommit().await?, &row, Some(&viewer.user_id)).await;
    if let Err(e) = stored {
        state.storage.forget(&[row.storage_key]).await;
        return Err(e.into());
    }
    Ok(row)
}

/// The newest files of a course's bank (staff).
pub async fn list(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<FileRow>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    bank_course(&mut conn, viewer, course_id).await?;
    Ok(repo::files::question_files_of(&mut conn, course_id.as_str(), 100).await?)
}

/// A question file for the viewer: the course's staff, or a learner enrolled
/// in the course. Everyone else (anonymous callers too) gets 404.
pub async fn open(state: &AppState, viewer: Option<&Viewer>, id: &str) -> Result<FileRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::files::question_file(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    let course_id = CourseId::from(&row.owner_id);
    if lyceum_enrollment::is_active_cached(state, &mut conn, &course_id, &viewer.id()).await?
        || lyceum_courses::service::access::is_staff(&mut conn, viewer, &course_id).await?
    {
        return Ok(row);
    }
    Err(AppError::not_found())
}

/// The files a Moodle XML import brought with one question, stored and
/// named in its texts: `@@PLUGINFILE@@/<name>` becomes `/question-files/<id>`.
/// Returns the rows to insert with the question, or why the question is
/// refused: a file that is not an accepted image, or too large (nothing of
/// the question is stored then).
pub(crate) async fn import(
    state: &AppState,
    course_id: &CourseId,
    question: &mut Question,
    attachments: &[Attachment],
) -> Result<Result<Vec<FileRow>, String>, AppError> {
    let mut taken: Vec<(&str, Checked)> = Vec::new();
    for a in attachments {
        // Moodle repeats a file in every text area that shows it: one copy is enough.
        if taken.iter().any(|(name, _)| *name == a.name) {
            continue;
        }
        match checked(state, course_id.as_str(), &a.name, Bytes::from(a.bytes.clone())) {
            Ok(c) => taken.push((&a.name, c)),
            Err(QuizError::File(why)) => return Ok(Err(files::import_problem(&question.name, &a.name, why))),
            Err(e) => return Err(e.into()),
        }
    }
    let mut stored = Vec::new();
    for (_, c) in &taken {
        if let Err(e) = state.storage.put_typed(&c.row.storage_key, c.data.clone(), &c.row.content_type).await {
            state.storage.forget(&stored).await;
            return Err(e.into());
        }
        stored.push(c.row.storage_key.clone());
    }
    for text in question.texts_mut() {
        for (name, c) in &taken {
            for reference in plugin_file_refs(name) {
                if text.body.contains(&reference) {
                    text.body = text.body.replace(&reference, &url(&c.row.id));
                }
            }
        }
    }
    Ok(Ok(taken.into_iter().map(|(_, c)| c.row).collect()))
}

/// The ids of the question files a text names (`/question-files/<id>`).
fn named_ids(body: &str) -> Vec<String> {
    body.match_indices(URL_PREFIX)
        .map(|(at, _)| {
            let rest = &body[at + URL_PREFIX.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_hexdigit() || c == '-')).unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .filter(|id| !id.is_empty())
        .collect()
}

/// For a Moodle XML export: the files of the course's bank that each
/// question shows, read from storage, and its texts naming them as
/// `@@PLUGINFILE@@/<name>`. Files of other courses stay addresses.
pub(crate) async fn export(
    state: &AppState,
    conn: &mut AnyConnection,
    course_id: &CourseId,
    questions: &mut [(Option<String>, Question)],
) -> Result<Vec<Vec<Attachment>>, AppError> {
    let mut ids: Vec<String> =
        questions.iter_mut().flat_map(|(_, q)| q.texts_mut().into_iter().flat_map(|t| named_ids(&t.body))).collect();
    ids.sort();
    ids.dedup();
    let rows = repo::files::question_files_in(conn, course_id.as_str(), &ids).await?;
    let mut bytes: Vec<(String, Bytes)> = Vec::with_capacity(rows.len());
    for row in &rows {
        bytes.push((row.id.clone(), state.storage.get(&row.storage_key).await?));
    }
    let mut all = Vec::with_capacity(questions.len());
    for (_, question) in questions.iter_mut() {
        // (file id, its name in this question): names are unique within a question.
        let mut named: Vec<(String, String)> = Vec::new();
        let mut attachments: Vec<Attachment> = Vec::new();
        for text in question.texts_mut() {
            for id in named_ids(&text.body) {
                let Some(row) = rows.iter().find(|r| r.id == id) else { continue };
                let name = match named.iter().find(|(i, _)| *i == id) {
                    Some((_, name)) => name.clone(),
                    None => {
                        let name = match named.iter().any(|(_, n)| *n == row.name) {
                            true => format!("{}-{}", &row.id[..8.min(row.id.len())], row.name),
                            false => row.name.clone(),
                        };
                        let data = bytes.iter().find(|(i, _)| *i == id).map(|(_, b)| b.to_vec()).unwrap_or_default();
                        attachments.push(Attachment { name: name.clone(), bytes: data });
                        named.push((id.clone(), name.clone()));
                        name
                    }
                };
                let [reference, _] = plugin_file_refs(&name);
                text.body = text.body.replace(&url(&id), &reference);
            }
        }
        all.push(attachments);
    }
    Ok(all)
}

/// Removes stored objects whose rows were never written.
pub(crate) async fn forget(storage: &Storage, rows: &[FileRow]) {
    let keys: Vec<String> = rows.iter().map(|r| r.storage_key.clone()).collect();
    storage.forget(&keys).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_name_files_by_their_address() {
        let id = "0192f0c1-a2b3-7c8d-9e0f-112233445566";
        let body = format!("![map]({}) and <img src=\"{}\">, /question-files/ alone", url(id), url("abc"));
        assert_eq!(named_ids(&body), [id, "abc"]);
    }

    #[test]
    fn markdown_keeps_the_alt_text_inside_its_brackets() {
        assert_eq!(markdown("x", "A [map]\nof it"), "![A mapof it](/question-files/x)");
    }
}
