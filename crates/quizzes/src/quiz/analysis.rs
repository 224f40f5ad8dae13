//! Item analysis (Moodle's quiz statistics, the two figures teachers read
//! first): per question, the facility index — how easy it was, the mean
//! share of its mark earned — and the discrimination index — whether the
//! learners who did well on the rest of the quiz did well on it too, the
//! correlation between the two, in percent. Pure: the service gathers the
//! graded attempts and passes them in.

/// One graded attempt: per slot the question shown, the share of its mark
/// earned (0–1) and the mark; plus what was answered, as words, when it says
/// something (a choice, a typed text).
#[derive(Debug, Clone)]
pub struct Scored {
    pub slots: Vec<SlotScore>,
}

#[derive(Debug, Clone)]
pub struct SlotScore {
    pub question_id: String,
    pub fraction: f64,
    pub mark: f64,
    pub answer: Option<String>,
}

/// The figures of one question over the attempts that showed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub question_id: String,
    pub attempts: usize,
    /// Mean share of the mark earned, percent.
    pub facility: f64,
    /// Correlation of this question's score with the rest of the attempt's, percent; None under 2 attempts or no spread.
    pub discrimination: Option<f64>,
    /// How often each answer was given, most frequent first (the unanswered as None).
    pub answers: Vec<(Option<String>, usize)>,
}

/// The items in the order questions were first met.
pub fn items(attempts: &[Scored]) -> Vec<Item> {
    let mut order: Vec<&str> = Vec::new();
    for a in attempts {
        for s in &a.slots {
            if !order.contains(&s.question_id.as_str()) {
                order.push(&s.question_id);
            }
        }
    }
    order.into_iter().map(|id| item(id, attempts)).collect()
}

fn item(question_id: &str, attempts: &[Scored]) -> Item {
    let mut pairs = Vec::new();
    let mut answers: Vec<(Option<String>, usize)> = Vec::new();
    for a in attempts {
        let Some(slot) = a.slots.iter().find(|s| s.question_id == question_id) else { continue };
        let (mut rest, mut rest_max) = (0.0, 0.0);
        for other in a.slots.iter().filter(|s| s.question_id != question_id) {
            rest += other.fraction * other.mark;
            rest_max += other.mark;
        }
        let rest = if rest_max > 0.0 { rest / rest_max } else { 0.0 };
        pairs.push((slot.fraction, rest));
        match answers.iter_mut().find(|(answer, _)| *answer == slot.answer) {
            Some((_, n)) => *n += 1,
            None => answers.push((slot.answer.clone(), 1)),
        }
    }
    answers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let n = pairs.len();
    let facility = if n == 0 { 0.0 } else { pairs.iter().map(|(x, _)| x).sum::<f64>() / n as f64 * 100.0 };
    Item { question_id: question_id.to_string(), attempts: n, facility, discrimination: correlation(&pairs), answers }
}

/// Pearson's correlation, percent; None when either side does not vary.
fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let cov: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let (vx, vy): (f64, f64) =
        (pairs.iter().map(|(x, _)| (x - mx).powi(2)).sum(), pairs.iter().map(|(_, y)| (y - my).powi(2)).sum());
    (vx > 1e-12 && vy > 1e-12).then(|| cov / (vx * vy).sqrt() * 100.0)
}

/// A horizontal bar chart of facility per question (0–100 %), as SVG text,
/// named `title` for screen readers (the table beside it has the figures).
/// Labels are escaped here: they are teacher-written question names.
pub fn facility_chart(title: &str, rows: &[(String, f64)]) -> String {
    const BAR: f64 = 22.0;
    const LABEL: f64 = 220.0;
    const WIDTH: f64 = 300.0;
    let height = BAR * rows.len() as f64 + 24.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"{}\" class=\"chart\">",
        LABEL + WIDTH + 60.0,
        escape(title)
    );
    for (i, (label, facility)) in rows.iter().enumerate() {
        let y = i as f64 * BAR + 4.0;
        let w = (facility.clamp(0.0, 100.0) / 100.0 * WIDTH).max(1.0);
        let short: String = label.chars().take(34).collect();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#4f7cac\"><title>{} %</title></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{facility:.0} %</text>",
            LABEL - 6.0,
            y + 14.0,
            escape(&short),
            BAR - 6.0,
            format_args!("{facility:.0}"),
            LABEL + w + 6.0,
            y + 14.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(scores: &[(&str, f64, Option<&str>)]) -> Scored {
        Scored {
            slots: scores
                .iter()
                .map(|(q, f, a)| SlotScore {
                    question_id: q.to_string(),
                    fraction: *f,
                    mark: 1.0,
                    answer: a.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn facility_is_the_mean_share_and_discrimination_follows_the_rest() {
        let attempts = [
            attempt(&[("easy", 1.0, Some("Paris")), ("hard", 1.0, None), ("other", 1.0, None)]),
            attempt(&[("easy", 1.0, Some("Paris")), ("hard", 0.0, None), ("other", 0.0, None)]),
            attempt(&[("easy", 1.0, Some("Paris")), ("hard", 0.0, None), ("other", 0.0, None)]),
            attempt(&[("easy", 0.0, Some("Lyon")), ("hard", 1.0, None), ("other", 1.0, None)]),
        ];
        let items = items(&attempts);
        assert_eq!(items[0].question_id, "easy");
        assert_eq!(items[0].facility, 75.0);
        assert_eq!(items[0].answers, [(Some("Paris".to_string()), 3), (Some("Lyon".to_string()), 1)]);
        assert!(items[1].discrimination.unwrap() > 50.0, "{:?}", items[1]);
        assert_eq!(items[2].facility, 50.0);
        let one = items_of_one();
        assert_eq!(one.discrimination, None, "one attempt says nothing");
    }

    fn items_of_one() -> Item {
        items(&[attempt(&[("q", 1.0, None), ("r", 0.0, None)])]).remove(0)
    }

    #[test]
    fn the_chart_escapes_question_names() {
        let svg = facility_chart("Facility \"per\" question", &[("<script>alert(1)</script>".to_string(), 40.0)]);
        assert!(svg.contains("aria-label=\"Facility &quot;per&quot; question\""), "{svg}");
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"), "{svg}");
        assert!(svg.starts_with("<svg") && svg.contains("40 %"));
    }
}
