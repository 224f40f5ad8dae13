//! Courses, modules and lessons as stored, and the rules their fields obey.

use lyceum_platform::{
    FieldError, Text,
    money::{self, Currency},
};
use serde::{Deserialize, Serialize};

pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 120;
pub const SUMMARY_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 50_000;
pub const TAGS_MAX: usize = 20;
pub const TAG_LEN_MAX: usize = 30;
pub const DURATION_MAX: i64 = 1440;
pub const SLUG_MAX: usize = 80;

macro_rules! text_enum {
    ($name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

text_enum!(CourseState { Draft = "draft", Published = "published", Archived = "archived" });
text_enum!(Level { Beginner = "beginner", Intermediate = "intermediate", Advanced = "advanced" });
text_enum!(LessonKind { Text = "text", Video = "video", File = "file" });

impl CourseState {
    /// Which state changes authoring allows. Publishing needs a lesson (checked
    /// by the service); archived courses may come back as draft or published;
    /// a published course may go back to draft (it leaves the catalog).
    pub fn can_become(self, to: CourseState) -> bool {
        use CourseState::*;
        matches!(
            (self, to),
            (Draft, Published) | (Published, Archived) | (Published, Draft) | (Archived, Draft) | (Archived, Published)
        )
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Course {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description_md: String,
    pub cover_key: Option<String>,
    pub category_id: Option<String>,
    pub level: String,
    pub language: String,
    pub price_minor: i64,
    pub currency: Option<String>,
    pub seat_limit: Option<i64>,
    pub state: String,
    pub published_at: Option<i64>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Active enrollments: the counter the enrollment module keeps through
    /// [`crate::service::seats`], in the transaction that writes the enrollment
    /// (seat limits, "most enrolled", the delete warning).
    pub enrolled_count: i64,
}

impl Course {
    pub fn state(&self) -> CourseState {
        CourseState::parse(&self.state).unwrap_or(CourseState::Draft)
    }

    pub fn description_html(&self) -> String {
        lyceum_platform::markdown::render(&self.description_md)
    }

    /// Changes whenever the cover does, so the image can be cached for long.
    pub fn cover_url(&self) -> Option<String> {
        cover_url(&self.id, self.cover_key.as_deref())
    }

    /// The price; `None` when the course is free.
    pub fn price(&self) -> Option<money::Money> {
        money::Money::stored_price(self.price_minor, self.currency.as_deref())
    }
}

/// The URL of course `id`'s cover stored under `cover_key`, versioned by the key.
pub fn cover_url(id: &str, cover_key: Option<&str>) -> Option<String> {
    let version = cover_key?.rsplit('/').next()?.trim_end_matches(".jpg");
    Some(format!("/courses/{id}/cover?v={version}"))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Category {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Module {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub module_id: String,
    pub course_id: String,
    pub title: String,
    pub kind: String,
    pub body_md: String,
    pub video_url: Option<String>,
    pub media_key: Option<String>,
    pub media_type: Option<String>,
    pub media_size: Option<i64>,
    pub file_name: Option<String>,
    pub duration_minutes: i64,
    pub is_preview: i64,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Set when another module's activity completes the lesson (`"quiz"`, `"assignment"`):
    /// the learner cannot mark it complete by hand.
    #[serde(default)]
    pub activity: Option<String>,
}

impl Lesson {
    pub fn kind(&self) -> LessonKind {
        LessonKind::parse(&self.kind).unwrap_or(LessonKind::Text)
    }
    pub fn body_html(&self) -> String {
        lyceum_platform::markdown::render(&self.body_md)
    }
    pub fn preview(&self) -> bool {
        self.is_preview != 0
    }
}

/// A lesson's place in its course's outline, without its content.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct LessonRef {
    pub id: String,
    pub course_id: String,
    pub module_id: String,
    pub title: String,
    pub kind: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Instructor {
    pub user_id: String,
    pub role: String,
    pub display_name: String,
    pub email: String,
}

/// A module with its lessons, in order.
#[derive(Debug, Clone)]
pub struct ModuleOutline {
    pub module: Module,
    pub lessons: Vec<Lesson>,
}

// ---- Field rules, each reporting the field it concerns ----

fn chars(s: &str) -> usize {
    s.chars().count()
}

pub fn parse_title(field: &str, raw: &str, min: usize) -> Result<String, FieldError> {
    let title = raw.trim();
    let n = chars(title);
    if n < min || n > TITLE_MAX {
        return Err(FieldError::new(
            field,
            Text::new("courses.errors.title_length").arg("min", min).arg("max", TITLE_MAX),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(FieldError::new(field, Text::new("courses.errors.title_control")));
    }
    Ok(title.to_string())
}

pub fn parse_slug(raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim();
    let valid = (3..=SLUG_MAX).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(FieldError::new("slug", Text::new("courses.errors.slug").arg("max", SLUG_MAX)));
    }
    Ok(slug.to_string())
}

/// A slug made from a title: ASCII letters and digits, other runs become one hyphen.
pub fn suggest_slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_matches('-').chars().take(SLUG_MAX - 6).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 3 {
        slug = format!("course-{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);
    }
    slug
}

pub fn parse_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    if chars(text) > max {
        return Err(FieldError::new(field, Text::new("courses.errors.text_too_long").arg("max", max)));
    }
    // Line breaks and tabs are text; other control characters (a NUL) are not.
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new(field, Text::new("courses.errors.text_control")));
    }
    Ok(text.to_string())
}

/// A BCP 47 language tag in its usual case: `en`, `pt-BR`, `zh-Hant`.
pub fn parse_language(raw: &str) -> Result<String, FieldError> {
    let error = || FieldError::new("language", Text::new("courses.errors.language"));
    let mut parts = raw.trim().split('-');
    let primary = parts.next().filter(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let mut out = primary.ok_or_else(error)?.to_ascii_lowercase();
    for part in parts {
        if !(2..=8).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(error());
        }
        out.push('-');
        out.push_str(&match part.len() {
            2 => part.to_ascii_uppercase(),
            4 => part[..1].to_ascii_uppercase() + &part[1..].to_ascii_lowercase(),
            _ => part.to_ascii_lowercase(),
        });
    }
    Ok(out)
}

/// Languages by their own names (what a speaker looks for in a menu), for
/// the common primary subtags; others are shown as their tag.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("bn", "বাংলা"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("th", "ไทย"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
];

/// A language tag as a person reads it: "Français", "Português (BR)"; an
/// unknown language stays its tag.
pub fn language_name(tag: &str) -> String {
    let (primary, rest) = tag.split_once('-').unwrap_or((tag, ""));
    match LANGUAGE_NAMES.iter().find(|(code, _)| *code == primary) {
        Some((_, name)) if rest.is_empty() => (*name).to_string(),
        Some((_, name)) => format!("{name} ({rest})"),
        None => tag.to_string(),
    }
}

/// Price rules: an integer amount of minor units within the price range
/// (`lyceum_platform::money`); a currency exactly when it is not free.
pub fn check_price(price_minor: i64, currency: Option<&str>) -> Result<Option<Currency>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !money::within_range(price_minor) {
        errors
            .push(FieldError::new("price_minor", Text::new("courses.errors.price_minor").arg("max", money::MAX_MINOR)));
    }
    let code = currency.map(str::trim).filter(|c| !c.is_empty());
    let currency = match (code, price_minor > 0) {
        (None, false) => Ok(None),
        (None, true) => Err(FieldError::new("currency", Text::new("courses.errors.price_currency"))),
        (Some(_), false) => Err(FieldError::new("currency", Text::new("courses.errors.free_no_currency"))),
        (Some(code), true) => Currency::parse(code).map(Some).map_err(|e| FieldError::new("currency", e)),
    };
    match currency {
        Ok(currency) if errors.is_empty() => Ok(currency),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

pub fn check_seat_limit(seats: Option<i64>) -> Result<Option<i64>, FieldError> {
    match seats {
        Some(n) if n < 1 => Err(FieldError::new("seat_limit", Text::new("courses.errors.seat_limit_min"))),
        other => Ok(other),
    }
}

/// Lower-cased, trimmed, without duplicates, in the order given.
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, FieldError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
        if chars(&tag) > TAG_LEN_MAX {
            return Err(FieldError::new("tags", Text::new("courses.errors.tag_too_long").arg("max", TAG_LEN_MAX)));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(FieldError::new("tags", Text::new("courses.errors.too_many_tags").arg("max", TAGS_MAX)));
    }
    Ok(tags)
}

pub fn check_duration(minutes: i64) -> Result<i64, FieldError> {
    if !(0..=DURATION_MAX).contains(&minutes) {
        return Err(FieldError::new("duration_minutes", Text::new("courses.errors.duration").arg("max", DURATION_MAX)));
    }
    Ok(minutes)
}

/// An external video address: http(s) only, and only on video lessons.
pub fn check_video_url(kind: LessonKind, raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if kind != LessonKind::Video {
        return Err(FieldError::new("video_url", Text::new("courses.errors.video_not_video")));
    }
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => Ok(Some(u.to_string())),
        _ => Err(FieldError::new("video_url", Text::new("courses.errors.video_url"))),
    }
}

/// The hosts lesson videos may be embedded from: the providers' privacy-enhanced
/// players. The Content-Security-Policy's `frame-src` names exactly these.
pub const EMBED_HOSTS: [&str; 2] = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"];

/// The embeddable player for a YouTube or Vimeo address (watch, share, shorts
/// and embed forms), on the privacy-enhanced hosts; `None` for anything else,
/// which stays a link out.
pub fn embed_url(video_url: &str) -> Option<String> {
    let url = url::Url::parse(video_url).ok()?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.").trim_start_matches("m.");
    let mut path = url.path_segments()?.filter(|s| !s.is_empty());
    let youtube = |id: &str| {
        let ok = id.len() == 11 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| format!("{}/embed/{id}", EMBED_HOSTS[0]))
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" => match path.next()? {
            "watch" => url.query_pairs().find(|(k, _)| k == "v").and_then(|(_, id)| youtube(&id)),
            "embed" | "shorts" | "live" => youtube(path.next()?),
            _ => None,
        },
        "youtu.be" => youtube(path.next()?),
        "vimeo.com" | "player.vimeo.com" => {
            let id = path.find(|s| s.bytes().all(|b| b.is_ascii_digit()))?;
            Some(format!("{}/video/{id}?dnt=1", EMBED_HOSTS[1]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_and_vimeo_addresses_embed_on_privacy_enhanced_players() {
        let yt = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ".to_string());
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(embed_url(url), yt, "{url}");
        }
        assert_eq!(
            embed_url("https://vimeo.com/76979871"),
            Some("https://player.vimeo.com/video/76979871?dnt=1".into())
        );
        assert_eq!(
            embed_url("https://player.vimeo.com/video/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?dnt=1")
        );
        for other in [
            "https://videos.example/intro.mp4",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"><script>",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "javascript:alert(1)",
        ] {
            assert_eq!(embed_url(other), None, "{other}");
        }
    }

    #[test]
    fn languages_read_by_their_own_names() {
        assert_eq!(language_name("fr"), "Français");
        assert_eq!(language_name("pt-BR"), "Português (BR)");
        assert_eq!(language_name("tlh"), "tlh");
    }

    #[test]
    fn slugs_from_titles() {
        assert_eq!(suggest_slug("Intro to Rust — 2nd édition!"), "intro-to-rust-2nd-dition");
        assert!(suggest_slug("??").starts_with("course-"));
        assert!(parse_slug("ok-slug-1").is_ok());
        assert!(parse_slug("Bad Slug").is_err());
    }

    #[test]
    fn languages_are_normalised() {
        assert_eq!(parse_language("PT-br").unwrap(), "pt-BR");
        assert_eq!(parse_language("zh-hant").unwrap(), "zh-Hant");
        assert!(parse_language("english!").is_err());
    }

    #[test]
    fn price_needs_a_currency_exactly_when_not_free() {
        assert_eq!(check_price(0, None).unwrap(), None);
        assert_eq!(check_price(1999, Some("eur")).unwrap(), Some(Currency::EUR));
        assert!(check_price(1999, None).is_err());
        assert!(check_price(0, Some("EUR")).is_err());
        assert!(check_price(10, Some("XXX")).is_err());
        assert!(check_price(-1, None).is_err());
    }

    #[test]
    fn state_transitions() {
        assert!(CourseState::Draft.can_become(CourseState::Published));
        assert!(!CourseState::Draft.can_become(CourseState::Archived));
        assert!(CourseState::Archived.can_become(CourseState::Draft));
    }
}
