//! The presentation order of one attempt at a question: which choice is shown
//! first, in what order the matching answers and ordering items appear. It is
//! drawn once when the attempt starts and stored with it (it is serialisable),
//! so a learner who reloads the page sees the same question, and responses
//! refer to what was shown by position, never by the author's order (the
//! author's first choice is often the right one).

use rand::Rng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::cloze::{self, BlankKind};
use crate::question::{MatchPair, Question, QuestionKind};

/// Each list is a permutation: position shown → index in the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Layout {
    /// Kinds with nothing to order (true/false, short answer, numerical, essay, description).
    Fixed,
    Choices {
        order: Vec<usize>,
    },
    /// The order of `MatchPair::options`; the stems keep the author's order.
    Matching {
        options: Vec<usize>,
    },
    Ordering {
        items: Vec<usize>,
    },
    /// One list per blank: the choice order of a multiple-choice blank, empty for the others.
    Cloze {
        blanks: Vec<Vec<usize>>,
    },
}

/// The attempt's stored layout was made for a different version of the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the question changed since this attempt started: its layout no longer fits")]
pub struct LayoutMismatch;

impl Layout {
    /// Draws the layout of a new attempt. `shuffle` is the quiz's setting;
    /// a question (or a cloze blank) is shuffled only when it allows it too.
    /// Ordering items are always shuffled, and never left in the right order,
    /// since that would give the answer away. An invalid cloze text gives a
    /// layout that does not fit (see `fits`).
    pub fn new<R: Rng + ?Sized>(question: &Question, shuffle: bool, rng: &mut R) -> Self {
        match &question.kind {
            QuestionKind::MultipleChoice { shuffle: allowed, choices, .. } => {
                Self::Choices { order: permutation(choices.len(), shuffle && *allowed, rng) }
            }
            QuestionKind::Matching { shuffle: allowed, pairs, distractors } => Self::Matching {
                options: permutation(MatchPair::options(pairs, distractors).len(), shuffle && *allowed, rng),
            },
            QuestionKind::Ordering { items } => Self::Ordering { items: scrambled(items.len(), rng) },
            QuestionKind::Cloze { text } => Self::Cloze {
                blanks: cloze::blanks(&text.body)
                    .unwrap_or_default()
                    .iter()
                    .map(|blank| match blank.kind {
                        BlankKind::MultiChoice { shuffle: allowed } => {
                            permutation(blank.answers.len(), shuffle && allowed, rng)
                        }
                        _ => Vec::new(),
                    })
                    .collect(),
            },
            _ => Self::Fixed,
        }
    }

    /// Whether this layout still matches the question's shape (same kind,
    /// same number of choices, options, items or blanks). A question edited
    /// after attempts started may no longer fit their layouts.
    pub fn fits(&self, question: &Question) -> bool {
        self.expected(question).is_some_and(|expected| {
            expected == self.lists().iter().map(|l| l.len()).collect::<Vec<_>>()
                && self.lists().iter().all(|l| is_permutation(l))
        })
    }

    /// `fits` as a `Result`, for callers that go on to use the layout.
    pub fn check(&self, question: &Question) -> Result<(), LayoutMismatch> {
        self.fits(question).then_some(()).ok_or(LayoutMismatch)
    }

    fn lists(&self) -> Vec<&[usize]> {
        match self {
            Self::Fixed => Vec::new(),
            Self::Choices { order: l } | Self::Matching { options: l } | Self::Ordering { items: l } => {
                vec![l]
            }
            Self::Cloze { blanks } => blanks.iter().map(Vec::as_slice).collect(),
        }
    }

    /// The list lengths the question calls for, or `None` when the layout is
    /// of another kind.
    fn expected(&self, question: &Question) -> Option<Vec<usize>> {
        match (&question.kind, self) {
            (QuestionKind::MultipleChoice { choices, .. }, Self::Choices { .. }) => Some(vec![choices.len()]),
            (QuestionKind::Matching { pairs, distractors, .. }, Self::Matching { .. }) => {
                Some(vec![MatchPair::options(pairs, distractors).len()])
            }
            (QuestionKind::Ordering { items }, Self::Ordering { .. }) => Some(vec![items.len()]),
            (QuestionKind::Cloze { text }, Self::Cloze { .. }) => {
                let blanks = cloze::blanks(&text.body).ok()?;
                Some(
                    blanks
                        .iter()
                        .map(|b| match b.kind {
                            BlankKind::MultiChoice { .. } => b.answers.len(),
                            _ => 0,
                        })
                        .collect(),
                )
            }
            (
                QuestionKind::TrueFalse { .. }
                | QuestionKind::ShortAnswer { .. }
                | QuestionKind::Numerical { .. }
                | QuestionKind::Essay { .. }
                | QuestionKind::Description,
                Self::Fixed,
            ) => Some(Vec::new()),
            _ => None,
        }
    }
}

fn permutation<R: Rng + ?Sized>(len: usize, shuffle: bool, rng: &mut R) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    if shuffle {
        order.shuffle(rng);
    }
    order
}

/// A shuffle that is never the identity (for two or more items): a learner
/// must not find an ordering question already solved.
fn scrambled<R: Rng + ?Sized>(len: usize, rng: &mut R) -> Vec<usize> {
    let mut order = permutation(len, true, rng);
    if len > 1 && order.iter().enumerate().all(|(i, &v)| i == v) {
        order.rotate_left(1);
    }
    order
}

fn is_permutation(list: &[usize]) -> bool {
    let mut seen = vec![false; list.len()];
    list.iter().all(|&i| i < seen.len() && !std::mem::replace(&mut seen[i], true))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::fixtures;

    fn rng() -> StdRng {
        StdRng::seed_from_u64(7)
    }

    #[test]
    fn every_kind_gets_a_layout_that_fits_it() {
        for q in fixtures::all() {
            let layout = Layout::new(&q, true, &mut rng());
            assert!(layout.fits(&q), "{}", q.name);
        }
    }

    #[test]
    fn shuffles_only_when_quiz_and_question_allow_it() {
        let q = fixtures::multi_choice(); // the question says no
        assert_eq!(Layout::new(&q, true, &mut rng()), Layout::Choices { order: vec![0, 1, 2, 3] });
        let q = fixtures::single_choice(); // the question says yes, the quiz no
        assert_eq!(Layout::new(&q, false, &mut rng()), Layout::Choices { order: vec![0, 1, 2] });
        let shuffled = (0..20).any(|seed| {
            Layout::new(&q, true, &mut StdRng::seed_from_u64(seed)) != Layout::Choices { order: vec![0, 1, 2] }
        });
        assert!(shuffled);
    }

    #[test]
    fn ordering_is_never_shown_solved() {
        let q = fixtures::ordering();
        for seed in 0..50 {
            let Layout::Ordering { items } = Layout::new(&q, false, &mut StdRng::seed_from_u64(seed)) else {
                panic!("expected an ordering layout");
            };
            assert_ne!(items, vec![0, 1, 2, 3]);
        }
    }

    #[test]
    fn matching_layout_covers_answers_and_distractors() {
        let layout = Layout::new(&fixtures::matching(), true, &mut rng());
        let Layout::Matching { options } = &layout else { panic!("expected matching") };
        assert_eq!(options.len(), 4); // Paris, Rome, Madrid, Berlin
    }

    #[test]
    fn a_layout_stops_fitting_when_the_question_changes() {
        let q = fixtures::single_choice();
        let layout = Layout::new(&q, true, &mut rng());
        let mut edited = q.clone();
        if let QuestionKind::MultipleChoice { choices, .. } = &mut edited.kind {
            choices.pop();
        }
        assert!(!layout.fits(&edited));
        assert!(!layout.fits(&fixtures::true_false()));
        assert!(!Layout::Choices { order: vec![0, 0, 2] }.fits(&q));
        assert_eq!(Layout::Fixed.check(&q), Err(LayoutMismatch));
    }

    #[test]
    fn survives_a_serde_round_trip() {
        let layout = Layout::new(&fixtures::cloze(), true, &mut rng());
        let json = serde_json::to_string(&layout).unwrap();
        assert_eq!(serde_json::from_str::<Layout>(&json).unwrap(), layout);
    }
}
