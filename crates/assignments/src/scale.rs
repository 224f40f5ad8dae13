//! Scales (Moodle's scales): named levels, lowest first, e.g. `Not yet,
//! Competent, Excellent` (2 to 10). A grader picks a level; the learner sees
//! its name. For the gradebook and the pass mark a level is worth points by
//! its position: the lowest 0, the highest the assignment's maximum, evenly
//! between (level `i` of `n`, from 0: `i / (n − 1) × max`) — how Moodle's
//! gradebook normalises a scale item, and the only mapping under which the
//! best level earns full marks. Pure.

/// Fewest and most levels in a scale.
pub const LEVELS_MIN: usize = 2;
pub const LEVELS_MAX: usize = 10;
const LEVEL_MAX_CHARS: usize = 100;

/// Why a scale's text cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaleError {
    /// Fewer than 2 or more than 10 levels.
    Count,
    /// The level (from 1) is over 100 characters, or repeats an earlier one.
    Level(usize),
}

impl ScaleError {
    /// The translation key and the level it concerns.
    pub fn key(&self) -> (&'static str, usize) {
        match self {
            Self::Count => ("assignments.scale_rules.count", 0),
            Self::Level(n) => ("assignments.scale_rules.level", *n),
        }
    }
}

/// Reads a scale's levels, lowest first, separated by commas or lines.
pub fn parse(text: &str) -> Result<Vec<String>, ScaleError> {
    let mut levels: Vec<String> = Vec::new();
    for level in text.split([',', '\n']).map(str::trim).filter(|l| !l.is_empty()) {
        let number = levels.len() + 1;
        let repeated = levels.iter().any(|l| l.to_lowercase() == level.to_lowercase());
        if level.chars().count() > LEVEL_MAX_CHARS || repeated {
            return Err(ScaleError::Level(number));
        }
        levels.push(level.to_string());
    }
    if (LEVELS_MIN..=LEVELS_MAX).contains(&levels.len()) { Ok(levels) } else { Err(ScaleError::Count) }
}

/// The text [`parse`] reads back into the same scale.
pub fn to_text(levels: &[String]) -> String {
    levels.join(", ")
}

/// The points level `level` (from 0) of a scale of `count` levels is worth
/// out of `out_of`; None when there is no such level.
pub fn points(count: usize, level: usize, out_of: f64) -> Option<f64> {
    (count >= LEVELS_MIN && level < count).then(|| crate::model::round2(level as f64 / (count - 1) as f64 * out_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_reads_back_from_its_text() {
        let levels = parse(" Not yet, Competent ,\nExcellent ").unwrap();
        assert_eq!(levels, ["Not yet", "Competent", "Excellent"]);
        assert_eq!(parse(&to_text(&levels)).unwrap(), levels);
        assert_eq!(parse("Only"), Err(ScaleError::Count));
        assert_eq!(parse(&"a,".repeat(0)), Err(ScaleError::Count));
        assert_eq!(parse("Low, High, low"), Err(ScaleError::Level(3)), "a level twice");
        let many: Vec<String> = (0..11).map(|i| format!("L{i}")).collect();
        assert_eq!(parse(&many.join(",")), Err(ScaleError::Count));
    }

    #[test]
    fn the_lowest_level_is_worth_nothing_and_the_highest_the_maximum() {
        assert_eq!(points(3, 0, 50.0), Some(0.0));
        assert_eq!(points(3, 1, 50.0), Some(25.0));
        assert_eq!(points(3, 2, 50.0), Some(50.0));
        assert_eq!(points(4, 1, 10.0), Some(3.33));
        assert_eq!(points(3, 3, 50.0), None, "no such level");
    }
}
