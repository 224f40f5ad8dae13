//! The gradebook's arithmetic: a learner's effective points in an item (an
//! override wins), the course total over the items they have a grade in,
//! and the letter for a percent. Pure.

use serde::{Deserialize, Serialize};

/// A grade item as stored.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub course_id: String,
    /// `quiz`, `assignment` or `manual`.
    pub source: String,
    pub source_id: String,
    pub title: String,
    pub max_points: f64,
    pub hidden: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Item {
    pub fn is_hidden(&self) -> bool {
        self.hidden != 0
    }
    pub fn is_manual(&self) -> bool {
        self.source == "manual"
    }
}

/// One learner's grade in one item, as stored.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Entry {
    pub item_id: String,
    pub user_id: String,
    pub points: Option<f64>,
    pub override_points: Option<f64>,
    pub override_note: String,
    pub updated_at: i64,
}

impl Entry {
    /// What counts: the override when there is one.
    pub fn effective(&self) -> Option<f64> {
        self.override_points.or(self.points)
    }
    pub fn overridden(&self) -> bool {
        self.override_points.is_some()
    }
}

/// The course total: points over the maximum of the items that have a grade
/// (an item not graded yet does not count against the learner), as a percent.
pub fn total_percent<'a>(cells: impl IntoIterator<Item = (&'a Item, Option<f64>)>) -> Option<f64> {
    let (mut points, mut max) = (0.0, 0.0);
    for (item, value) in cells {
        if let Some(value) = value {
            points += value;
            max += item.max_points;
        }
    }
    (max > 0.0).then(|| round2(points / max * 100.0))
}

/// The default letter scale (percent floors), highest first.
pub const LETTERS: [(f64, &str); 5] = [(90.0, "A"), (80.0, "B"), (70.0, "C"), (60.0, "D"), (0.0, "F")];

pub fn letter(percent: f64) -> &'static str {
    LETTERS.iter().find(|(floor, _)| percent + 1e-9 >= *floor).map_or("F", |(_, l)| l)
}

pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(max: f64) -> Item {
        Item {
            id: String::new(),
            course_id: String::new(),
            source: "manual".into(),
            source_id: String::new(),
            title: String::new(),
            max_points: max,
            hidden: 0,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn the_total_counts_graded_items_only_and_overrides_win() {
        let (quiz, essay, talk) = (item(100.0), item(50.0), item(10.0));
        assert_eq!(total_percent([(&quiz, Some(80.0)), (&essay, Some(45.0)), (&talk, None)]), Some(83.33));
        assert_eq!(total_percent([(&quiz, None)]), None, "nothing graded: no total");
        let entry = Entry {
            item_id: String::new(),
            user_id: String::new(),
            points: Some(10.0),
            override_points: Some(0.0),
            override_note: "plagiarised".into(),
            updated_at: 0,
        };
        assert_eq!(entry.effective(), Some(0.0), "an override of zero is a grade");
    }

    #[test]
    fn letters_follow_their_floors() {
        assert_eq!([letter(95.0), letter(89.999), letter(80.0), letter(61.0), letter(12.0)], ["A", "B", "B", "D", "F"]);
    }
}
