//! Progress as stored, certificates, and the arithmetic of progress:
//! percentages per module and course, and which lesson "continue" opens.

use std::collections::{HashMap, HashSet};

use lyceum_courses::model::LessonRef;
use rand::RngCore;

/// The furthest a video position may be (a day; lessons last at most 1440 minutes).
pub const POSITION_MAX_SECONDS: i64 = 86_400;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct LessonProgress {
    pub lesson_id: String,
    pub completed_at: Option<i64>,
    pub position_seconds: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct CourseProgress {
    pub course_id: String,
    pub last_lesson_id: Option<String>,
    pub last_activity_at: i64,
    pub completed_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Certificate {
    pub id: String,
    pub code: String,
    pub user_id: String,
    pub course_id: Option<String>,
    pub learner_name: String,
    pub course_title: String,
    pub issued_at: i64,
}

impl Certificate {
    pub fn url(&self) -> String {
        format!("/certificates/{}", self.code)
    }
}

/// A fresh public certificate code: 128 random bits in lower-case base32
/// (RFC 4648 alphabet, no padding) — 26 characters, unguessable, easy to read out.
pub fn new_certificate_code() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base32(&bytes)
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Whether `raw` could be a certificate code (so a junk URL costs no query).
pub fn looks_like_code(raw: &str) -> bool {
    raw.len() == 26 && raw.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

/// Whole percent, rounded to the nearest (2 of 3 is 67 %), except that 100
/// means every lesson is complete and 0 that none is.
pub fn percent(done: usize, total: usize) -> u8 {
    if total == 0 || done == 0 {
        return 0;
    }
    if done >= total {
        return 100;
    }
    ((done * 100 + total / 2) / total).clamp(1, 99) as u8
}

/// One module's share of a learner's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    pub module_id: String,
    pub total: usize,
    pub completed: usize,
    pub percent: u8,
}

/// A learner's progress in one course, computed from the outline (in order)
/// and the lessons they completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    pub completed: usize,
    pub percent: u8,
    pub modules: Vec<ModuleSummary>,
    /// The lesson "continue" opens; `None` only for a course without lessons.
    pub continue_lesson_id: Option<String>,
}

/// `outline` is one course's lessons in outline order. Continue is the lesson
/// last worked on if it is not complete, else the first incomplete lesson
/// after it in outline order (wrapping to the start), else — all complete —
/// the last one worked on or the first lesson.
pub fn summarize(outline: &[&LessonRef], completed: &HashSet<String>, last_lesson: Option<&str>) -> Summary {
    let done = |id: &str| completed.contains(id);
    let completed_n = outline.iter().filter(|l| done(&l.id)).count();
    let mut modules: Vec<ModuleSummary> = Vec::new();
    for lesson in outline {
        if modules.last().is_none_or(|m| m.module_id != lesson.module_id) {
            modules.push(ModuleSummary { module_id: lesson.module_id.clone(), total: 0, completed: 0, percent: 0 });
        }
        let m = modules.last_mut().expect("pushed above");
        m.total += 1;
        m.completed += usize::from(done(&lesson.id));
    }
    for m in &mut modules {
        m.percent = percent(m.completed, m.total);
    }
    Summary {
        total: outline.len(),
        completed: completed_n,
        percent: percent(completed_n, outline.len()),
        modules,
        continue_lesson_id: continue_lesson(outline, &done, last_lesson),
    }
}

fn continue_lesson(outline: &[&LessonRef], done: &dyn Fn(&str) -> bool, last: Option<&str>) -> Option<String> {
    let start = last.and_then(|id| outline.iter().position(|l| l.id == id));
    if let Some(i) = start.filter(|i| !done(&outline[*i].id)) {
        return Some(outline[i].id.clone());
    }
    let from = start.map(|i| i + 1).unwrap_or(0);
    let rotated = outline[from.min(outline.len())..].iter().chain(&outline[..from.min(outline.len())]);
    let next = rotated.into_iter().find(|l| !done(&l.id));
    next.or_else(|| start.map(|i| &outline[i])).or(outline.first()).map(|l| l.id.clone())
}

/// Splits lesson refs of several courses (ordered by course) into per-course outlines.
pub fn by_course(refs: &[LessonRef]) -> HashMap<&str, Vec<&LessonRef>> {
    let mut out: HashMap<&str, Vec<&LessonRef>> = HashMap::new();
    for r in refs {
        out.entry(r.course_id.as_str()).or_default().push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_nearest_but_100_means_all() {
        assert_eq!([percent(0, 3), percent(1, 3), percent(2, 3), percent(3, 3)], [0, 33, 67, 100]);
        assert_eq!((percent(199, 200), percent(1, 1000), percent(0, 0)), (99, 1, 0));
        assert_eq!(percent(5, 4), 100);
    }

    fn lesson(id: &str, module: &str) -> LessonRef {
        LessonRef {
            id: id.into(),
            course_id: "c".into(),
            module_id: module.into(),
            title: id.into(),
            kind: "text".into(),
        }
    }

    fn set(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn percentages_per_module_and_course() {
        let all = [lesson("a", "m1"), lesson("b", "m1"), lesson("c", "m2"), lesson("d", "m2"), lesson("e", "m2")];
        let outline: Vec<&LessonRef> = all.iter().collect();
        let s = summarize(&outline, &set(&["a", "c"]), None);
        assert_eq!((s.total, s.completed, s.percent), (5, 2, 40));
        assert_eq!(s.modules.iter().map(|m| m.percent).collect::<Vec<_>>(), [50, 33]);
        let all_done = summarize(&outline, &set(&["a", "b", "c", "d", "e"]), Some("e"));
        assert_eq!(all_done.percent, 100);
        assert_eq!(all_done.continue_lesson_id.as_deref(), Some("e"));
        assert_eq!(summarize(&[], &set(&[]), None).percent, 0);
    }

    #[test]
    fn continue_resumes_or_moves_on_in_outline_order() {
        let all = [lesson("a", "m1"), lesson("b", "m1"), lesson("c", "m2")];
        let outline: Vec<&LessonRef> = all.iter().collect();
        let go = |done: &[&str], last: Option<&str>| summarize(&outline, &set(done), last).continue_lesson_id;
        assert_eq!(go(&[], None).as_deref(), Some("a"), "a new learner starts at the beginning");
        assert_eq!(go(&["a"], Some("c")).as_deref(), Some("c"), "the lesson last worked on, unfinished");
        assert_eq!(go(&["a", "b"], Some("b")).as_deref(), Some("c"), "finished: the next incomplete");
        assert_eq!(go(&["b", "c"], Some("c")).as_deref(), Some("a"), "wraps to an earlier gap");
        assert_eq!(go(&["a"], Some("gone")).as_deref(), Some("b"), "a deleted lesson: first incomplete");
    }

    #[test]
    fn certificate_codes_are_26_base32_characters() {
        let (a, b) = (new_certificate_code(), new_certificate_code());
        assert_ne!(a, b);
        assert!(looks_like_code(&a), "{a}");
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
        assert!(!looks_like_code("../etc/passwd"));
    }
}
