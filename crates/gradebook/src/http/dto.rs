//! What the API shows of the gradebook, and the bodies it takes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    model::{Category, Entry, Item},
    service::{Grid, MyGrades},
    settings::{Aggregation, CertificateRule, LetterStep, Settings},
};

#[derive(Serialize, ToSchema)]
pub struct ItemDto {
    pub id: String,
    /// `quiz`, `assignment` or `manual`.
    pub source: String,
    /// The quiz's or assignment's id (a manual item: its own).
    pub source_id: String,
    pub title: String,
    pub max_points: f64,
    /// Not shown to learners, not counted in their total.
    pub hidden: bool,
    /// Its category; none: outside every category.
    pub category_id: Option<String>,
    /// Its points count without adding to the maximum.
    pub extra_credit: bool,
}

impl From<&Item> for ItemDto {
    fn from(i: &Item) -> Self {
        Self {
            id: i.id.clone(),
            source: i.source.clone(),
            source_id: i.source_id.clone(),
            title: i.title.clone(),
            max_points: i.max_points,
            hidden: i.is_hidden(),
            category_id: i.category_id.clone(),
            extra_credit: i.is_extra_credit(),
        }
    }
}

/// One learner's grade in one item.
#[derive(Serialize, ToSchema)]
pub struct GradeDto {
    pub item_id: String,
    /// What counts: the override when there is one.
    pub points: Option<f64>,
    /// The activity's own grade, when overridden (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<f64>,
    pub overridden: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl GradeDto {
    pub fn staff(item: &Item, entry: Option<&Entry>) -> Self {
        Self {
            item_id: item.id.clone(),
            points: entry.and_then(Entry::effective),
            original: entry.filter(|e| e.overridden()).and_then(|e| e.points),
            overridden: entry.is_some_and(Entry::overridden),
            note: entry.map(|e| e.override_note.clone()).unwrap_or_default(),
        }
    }

    fn learner(item: &Item, entry: Option<&Entry>) -> Self {
        Self { original: None, note: String::new(), ..Self::staff(item, entry) }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RowDto {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// One per item, in `items` order.
    pub grades: Vec<GradeDto>,
    /// The course total, percent, over the visible items graded so far.
    pub total: Option<f64>,
    pub letter: Option<String>,
}

/// A category of items, worth `weight` percent of the course total.
#[derive(Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: String,
    pub name: String,
    pub weight: f64,
    /// Each learner's lowest grades left out of it.
    pub drop_lowest: i64,
}

impl From<&Category> for CategoryDto {
    fn from(c: &Category) -> Self {
        Self { id: c.id.clone(), name: c.name.clone(), weight: c.weight, drop_lowest: c.drop_lowest }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<CategoryDto>,
}

/// A category's settings: `weight` percent of the course total (0 – 100;
/// items outside every category are worth what the weights leave), and how
/// many of each learner's lowest grades it drops (0 – 20).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CategoryBody {
    pub name: String,
    pub weight: f64,
    #[serde(default)]
    pub drop_lowest: i64,
}

/// A page of the staff's grid: learners × items.
#[derive(Serialize, ToSchema)]
pub struct GridDto {
    pub categories: Vec<CategoryDto>,
    pub items: Vec<ItemDto>,
    pub rows: Vec<RowDto>,
    pub next_cursor: Option<String>,
}

impl From<&Grid> for GridDto {
    fn from(g: &Grid) -> Self {
        Self {
            categories: g.categories.iter().map(CategoryDto::from).collect(),
            items: g.items.iter().map(ItemDto::from).collect(),
            rows: g
                .rows
                .iter()
                .map(|r| RowDto {
                    user_id: r.user_id.clone(),
                    name: r.name.clone(),
                    email: r.email.clone(),
                    grades: g.items.iter().zip(&r.cells).map(|(i, c)| GradeDto::staff(i, c.as_ref())).collect(),
                    total: r.total,
                    letter: r.total.map(|_| r.letter.clone()),
                })
                .collect(),
            next_cursor: g.next_cursor.clone(),
        }
    }
}

/// A learner's own grades: the visible items.
#[derive(Serialize, ToSchema)]
pub struct MyGradesDto {
    pub items: Vec<ItemDto>,
    pub grades: Vec<GradeDto>,
    pub total: Option<f64>,
    pub letter: Option<String>,
}

impl From<&MyGrades> for MyGradesDto {
    fn from(m: &MyGrades) -> Self {
        Self {
            items: m.lines.iter().map(|(i, _)| ItemDto::from(i)).collect(),
            grades: m.lines.iter().map(|(i, e)| GradeDto::learner(i, e.as_ref())).collect(),
            total: m.total,
            letter: m.total.map(|_| m.letter.clone()),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewItemBody {
    pub title: String,
    pub max_points: f64,
}

/// A manual item's title and maximum, any item's visibility, category and
/// extra credit; what is left out stays.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ItemPatch {
    pub title: Option<String>,
    pub max_points: Option<f64>,
    pub hidden: Option<bool>,
    /// A category of the course; `""` moves the item outside every category.
    pub category_id: Option<String>,
    pub extra_credit: Option<bool>,
}

/// A manual item's grade, or an override of an activity's (null clears it).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct GradeBody {
    pub points: Option<f64>,
    /// Why an activity's grade is overridden.
    pub note: String,
}

/// A course's gradebook settings (every field; the defaults until changed).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettingsDto {
    /// Highest first: unique letters, strictly descending minimums, the last at 0.
    pub letters: Vec<LetterStep>,
    /// The course total, percent, a learner needs to pass (0 – 100).
    pub pass_percent: f64,
    /// `weighted`: each category counts by its weight; `natural`: all points over all maximums.
    pub aggregation: Aggregation,
    /// `completion`, or `completion_and_pass`: the certificate also needs a total of at least the pass mark.
    pub certificate_rule: CertificateRule,
}

impl From<&Settings> for SettingsDto {
    fn from(s: &Settings) -> Self {
        Self {
            letters: s.letters.clone(),
            pass_percent: s.pass_percent,
            aggregation: s.aggregation,
            certificate_rule: s.certificate_rule,
        }
    }
}

impl From<SettingsDto> for Settings {
    fn from(d: SettingsDto) -> Self {
        Self {
            letters: d.letters,
            pass_percent: d.pass_percent,
            aggregation: d.aggregation,
            certificate_rule: d.certificate_rule,
        }
    }
}
