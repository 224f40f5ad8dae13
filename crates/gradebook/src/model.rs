//! The gradebook's arithmetic: a learner's effective points in an item (an
//! override wins), the course total over the items they have a grade in —
//! by category weights or as a natural sum, dropping the lowest, with extra
//! credit. Pure (the letter is the course's scale: `settings`).

use serde::{Deserialize, Serialize};

use crate::settings::Aggregation;

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
    pub category_id: Option<String>,
    /// Its points count without adding to the maximum.
    pub extra_credit: i64,
}

/// A category of items, worth `weight` percent of the course total.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub course_id: String,
    pub name: String,
    pub weight: f64,
    /// Each learner's lowest grades (by percent) left out of the category.
    pub drop_lowest: i64,
    pub created_at: i64,
}

impl Item {
    pub fn is_extra_credit(&self) -> bool {
        self.extra_credit != 0
    }
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

/// One group's points and maximum: its graded items after dropping the
/// `drop` lowest (by percent, never the last one); extra credit adds points
/// only. None when nothing in it is graded.
fn group_sums(graded: &[(&Item, f64)], drop: usize) -> Option<(f64, f64)> {
    let mut regular: Vec<(&Item, f64)> = graded.iter().filter(|(i, _)| !i.is_extra_credit()).copied().collect();
    regular.sort_by(|a, b| (a.1 / a.0.max_points).total_cmp(&(b.1 / b.0.max_points)));
    let dropped = drop.min(regular.len().saturating_sub(1));
    let kept = &regular[dropped..];
    let max: f64 = kept.iter().map(|(i, _)| i.max_points).sum();
    let extra: f64 = graded.iter().filter(|(i, _)| i.is_extra_credit()).map(|(_, v)| v).sum();
    let points: f64 = kept.iter().map(|(_, v)| v).sum::<f64>() + extra;
    (max > 0.0).then_some((points, max))
}

fn group_percent(graded: &[(&Item, f64)], drop: usize) -> Option<f64> {
    group_sums(graded, drop).map(|(points, max)| points / max * 100.0)
}

/// The course total, percent, from the visible items and a learner's values
/// in them (an item not graded yet does not count against them). Without
/// categories: points over the maximum. Weighted: each category's percent
/// weighted by its weight, the items outside every category a group worth
/// what the weights leave of 100 %; the weights of groups with a grade are
/// scaled to add up. Natural: every group's points (after its drops) over
/// every group's maximum.
pub fn total_percent<'a>(
    cells: impl IntoIterator<Item = (&'a Item, Option<f64>)>,
    categories: &[Category],
    aggregation: Aggregation,
) -> Option<f64> {
    let graded: Vec<(&Item, f64)> = cells.into_iter().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    let known = |i: &Item| i.category_id.as_deref().is_some_and(|c| categories.iter().any(|k| k.id == c));
    let loose: Vec<(&Item, f64)> = graded.iter().filter(|(i, _)| !known(i)).copied().collect();
    let in_group = |c: &Category| -> Vec<(&Item, f64)> {
        graded.iter().filter(|(i, _)| i.category_id.as_deref() == Some(c.id.as_str())).copied().collect()
    };
    let drop_of = |c: &Category| usize::try_from(c.drop_lowest).unwrap_or(0);
    if categories.is_empty() {
        return group_percent(&loose, 0).map(round2);
    }
    if aggregation == Aggregation::Natural {
        let mut sums: Vec<(f64, f64)> = group_sums(&loose, 0).into_iter().collect();
        sums.extend(categories.iter().filter_map(|c| group_sums(&in_group(c), drop_of(c))));
        let (points, max) = sums.iter().fold((0.0, 0.0), |(p, m), (gp, gm)| (p + gp, m + gm));
        return (max > 0.0).then(|| round2(points / max * 100.0));
    }
    let rest = (100.0 - categories.iter().map(|c| c.weight).sum::<f64>()).max(0.0);
    let mut groups: Vec<(f64, Option<f64>)> = vec![(rest, group_percent(&loose, 0))];
    for c in categories {
        groups.push((c.weight, group_percent(&in_group(c), drop_of(c))));
    }
    let counted: Vec<(f64, f64)> =
        groups.into_iter().filter_map(|(w, p)| p.map(|p| (w, p))).filter(|(w, _)| *w > 0.0).collect();
    let weights: f64 = counted.iter().map(|(w, _)| w).sum();
    (weights > 0.0).then(|| round2(counted.iter().map(|(w, p)| w * p).sum::<f64>() / weights))
}

pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Aggregation = Aggregation::Weighted;

    fn item(max: f64) -> Item {
        Item {
            category_id: None,
            extra_credit: 0,
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
        assert_eq!(total_percent([(&quiz, Some(80.0)), (&essay, Some(45.0)), (&talk, None)], &[], W), Some(83.33));
        assert_eq!(total_percent([(&quiz, None)], &[], W), None, "nothing graded: no total");
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

    fn category(id: &str, weight: f64, drop_lowest: i64) -> Category {
        Category { id: id.into(), course_id: String::new(), name: id.into(), weight, drop_lowest, created_at: 0 }
    }

    fn in_category(max: f64, category: &str) -> Item {
        Item { category_id: Some(category.into()), ..item(max) }
    }

    #[test]
    fn categories_weigh_their_groups_drop_the_lowest_and_take_extra_credit() {
        let cats = [category("quizzes", 40.0, 1), category("essays", 60.0, 0)];
        let (q1, q2, q3) = (in_category(10.0, "quizzes"), in_category(10.0, "quizzes"), in_category(10.0, "quizzes"));
        let essay = in_category(100.0, "essays");
        // Quizzes 2, 8, 10 of 10: the 2 is dropped → 90 %; the essay 70 % → 0.4 × 90 + 0.6 × 70 = 78.
        let cells = [(&q1, Some(2.0)), (&q2, Some(8.0)), (&q3, Some(10.0)), (&essay, Some(70.0))];
        assert_eq!(total_percent(cells, &cats, W), Some(78.0));
        // Only quizzes graded so far: their group alone makes the total.
        assert_eq!(
            total_percent([(&q1, Some(5.0)), (&essay, None)], &cats, W),
            Some(50.0),
            "never the last one dropped"
        );
        let bonus = Item { extra_credit: 1, ..in_category(5.0, "essays") };
        assert_eq!(
            total_percent([(&essay, Some(70.0)), (&bonus, Some(5.0))], &cats, W),
            Some(75.0),
            "points, no maximum"
        );
        // Items outside every category are worth what the weights leave: here 100 − 40 = 60.
        let loose = item(50.0);
        let one = [category("quizzes", 40.0, 0)];
        assert_eq!(total_percent([(&q1, Some(10.0)), (&loose, Some(25.0))], &one, W), Some(70.0));
    }

    #[test]
    fn natural_sums_points_over_maximums_and_still_drops() {
        let cats = [category("quizzes", 40.0, 1), category("essays", 60.0, 0)];
        let (q1, q2) = (in_category(10.0, "quizzes"), in_category(10.0, "quizzes"));
        let essay = in_category(100.0, "essays");
        // Quizzes 2 and 8 of 10: the 2 is dropped; (8 + 70) of (10 + 100) = 70.91 %, weights ignored.
        let cells = [(&q1, Some(2.0)), (&q2, Some(8.0)), (&essay, Some(70.0))];
        assert_eq!(total_percent(cells, &cats, Aggregation::Natural), Some(70.91));
        assert_eq!(total_percent([(&essay, None)], &cats, Aggregation::Natural), None);
    }
}
