//! The settings page of a course's gradebook
//! (`/teach/courses/{id}/gradebook/settings`, linked from the grid): the
//! letter scale as rows of inputs (a few blank ones to add letters, a row
//! left blank is dropped), the pass mark, the aggregation and the
//! certificate rule. A refusal shows the form again (422) with the reason.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    ids::CourseId,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};

use crate::{
    GradebookError, service,
    settings::{Aggregation, CertificateRule, LETTERS_MAX, LetterStep, Settings},
};

/// Blank rows offered below the scale, to add letters.
const BLANK_ROWS: usize = 3;

/// One row of the scale's inputs, as shown (a refused form keeps what was typed).
struct ScaleRow {
    letter: String,
    min: String,
}

#[derive(Template)]
#[template(path = "gradebook/settings.html")]
struct SettingsPage {
    page: Page,
    course: Course,
    rows: Vec<ScaleRow>,
    pass_percent: String,
    aggregation: Aggregation,
    certificate_rule: CertificateRule,
    /// Why the form was refused, in the viewer's language.
    error: Option<String>,
}

impl SettingsPage {
    fn new(page: Page, course: Course, s: &Settings) -> Self {
        let mut rows: Vec<ScaleRow> = s
            .letters
            .iter()
            .map(|l| ScaleRow { letter: l.letter.clone(), min: format!("{}", l.min_percent) })
            .collect();
        let blanks = BLANK_ROWS.min(LETTERS_MAX.saturating_sub(rows.len()));
        rows.extend((0..blanks).map(|_| ScaleRow { letter: String::new(), min: String::new() }));
        Self {
            page,
            course,
            rows,
            pass_percent: format!("{}", s.pass_percent),
            aggregation: s.aggregation,
            certificate_rule: s.certificate_rule,
            error: None,
        }
    }
    fn natural(&self) -> bool {
        self.aggregation == Aggregation::Natural
    }
    fn needs_pass(&self) -> bool {
        self.certificate_rule == CertificateRule::CompletionAndPass
    }
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<CourseId>) -> AppResult<Response> {
    let (course, settings) = service::settings(&state, &s.viewer, &id).await?;
    Reply::OK.render(&SettingsPage::new(s.page, course, &settings))
}

fn decimal(raw: &str) -> f64 {
    raw.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(f64::NAN)
}

/// The scale's rows in order (`letter_0`, `min_0`, …), blank ones left out.
fn scale_of(form: &HashMap<String, String>) -> Vec<(String, String)> {
    (0..LETTERS_MAX + BLANK_ROWS)
        .map(|i| {
            let get = |k: &str| form.get(&format!("{k}_{i}")).map(|v| v.trim().to_string()).unwrap_or_default();
            (get("letter"), get("min"))
        })
        .filter(|(l, m)| !(l.is_empty() && m.is_empty()))
        .collect()
}

pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let typed = scale_of(&form);
    let settings = Settings {
        letters: typed.iter().map(|(l, m)| LetterStep { letter: l.clone(), min_percent: decimal(m) }).collect(),
        pass_percent: decimal(field("pass_percent")),
        aggregation: Aggregation::parse(field("aggregation")).unwrap_or_default(),
        certificate_rule: CertificateRule::parse(field("certificate_rule")).unwrap_or_default(),
    };
    let to = format!("/teach/courses/{}/gradebook/settings", id.as_str());
    let refusal = match service::save_settings(&state, &s.viewer, &id, settings.clone()).await {
        Ok(_) => return Ok(redirect_with_flash(&to, FlashKind::Success, "gradebook.flash.settings_saved")),
        Err(GradebookError::LetterScale { row, problem }) => GradebookError::scale_text(row, problem),
        Err(GradebookError::PassMark) => lyceum_platform::Text::new("gradebook.errors.pass_mark"),
        Err(GradebookError::Other(e)) => return Err(e),
        Err(other) => return Err(other.into()),
    };
    let (course, _) = service::settings(&state, &s.viewer, &id).await?;
    let locale = s.page.locale;
    let mut page = SettingsPage::new(s.page, course, &settings);
    page.rows = typed.into_iter().map(|(letter, min)| ScaleRow { letter, min }).collect();
    page.rows.extend((0..BLANK_ROWS).map(|_| ScaleRow { letter: String::new(), min: String::new() }));
    page.pass_percent = field("pass_percent").to_string();
    page.error = Some(refusal.in_lang(locale));
    Reply::status(StatusCode::UNPROCESSABLE_ENTITY).render(&page)
}
