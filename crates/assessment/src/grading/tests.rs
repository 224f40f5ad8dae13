use super::*;
use crate::fixtures;
use crate::response::BlankResponse;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn graded(question: &Question, layout: &Layout, response: Response) -> Outcome {
    grade(question, layout, &response).unwrap()
}

fn identity(n: usize) -> Vec<usize> {
    (0..n).collect()
}

#[test]
fn single_choice_gives_the_chosen_worth_through_the_layout() {
    let q = fixtures::single_choice();
    let layout = Layout::Choices { order: vec![2, 0, 1] }; // Marseille, Paris, Lyon
    let right = graded(&q, &layout, Response::Choices(vec![1]));
    assert_eq!(right.state, State::Correct);
    assert_eq!(right.fraction, 1.0);
    assert_eq!(right.feedback, vec![Text::plain("FB-PARIS-RIGHT")]);
    let negative = graded(&q, &layout, Response::Choices(vec![0]));
    assert_eq!((negative.state, negative.fraction), (State::Incorrect, 0.0));
    assert_eq!(graded(&q, &layout, Response::Choices(vec![])).state, State::Unanswered);
}

#[test]
fn multi_choice_sums_worths_and_clamps_negatives() {
    let q = fixtures::multi_choice();
    let layout = Layout::Choices { order: identity(4) };
    let half = graded(&q, &layout, Response::Choices(vec![0]));
    assert_eq!((half.state, half.fraction), (State::PartiallyCorrect, 0.5));
    let both = graded(&q, &layout, Response::Choices(vec![1, 0]));
    assert_eq!(both.state, State::Correct);
    assert_eq!(both.feedback.len(), 2);
    let everything = graded(&q, &layout, Response::Choices(vec![0, 1, 2, 3]));
    assert_eq!((everything.state, everything.fraction), (State::Incorrect, 0.0));
    let with_one_wrong = graded(&q, &layout, Response::Choices(vec![0, 1, 3]));
    assert!(close(with_one_wrong.fraction, 0.5));
}

#[test]
fn true_false_gives_the_feedback_of_the_answer_chosen() {
    let q = fixtures::true_false();
    let wrong = graded(&q, &Layout::Fixed, Response::TrueFalse(true));
    assert_eq!(wrong.state, State::Incorrect);
    assert_eq!(wrong.feedback, vec![Text::plain("No, it is blue.")]);
    let right = graded(&q, &Layout::Fixed, Response::TrueFalse(false));
    assert_eq!((right.state, right.fraction), (State::Correct, 1.0));
}

#[test]
fn short_answer_takes_the_first_matching_pattern() {
    let q = fixtures::short_answer();
    let exact = graded(&q, &Layout::Fixed, Response::Text("  william   SHAKESPEARE ".into()));
    assert_eq!(exact.state, State::Correct);
    assert_eq!(exact.feedback, vec![Text::plain("Exactly.")]);
    let partial = graded(&q, &Layout::Fixed, Response::Text("Shakespeare".into()));
    assert!(close(partial.fraction, 0.8));
    assert_eq!(partial.state, State::PartiallyCorrect);
    let other = graded(&q, &Layout::Fixed, Response::Text("Marlowe".into()));
    assert_eq!(other.state, State::Incorrect);
    assert_eq!(other.feedback, vec![Text::plain("No.")]);
    assert_eq!(graded(&q, &Layout::Fixed, Response::Text("   ".into())).state, State::Unanswered);
}

#[test]
fn short_answer_can_be_case_sensitive() {
    let mut q = fixtures::short_answer();
    if let QuestionKind::ShortAnswer { case_sensitive, answers } = &mut q.kind {
        *case_sensitive = true;
        answers.pop();
    }
    let lower = graded(&q, &Layout::Fixed, Response::Text("william shakespeare".into()));
    assert_eq!((lower.state, lower.feedback.len()), (State::Incorrect, 0));
}

#[test]
fn numerical_tolerance_bounds_are_inclusive() {
    let q = fixtures::numerical(); // 1.5 ± 0.1 → 100 %, 1.5 ± 0.5 → 50 %
    let at = |text: &str| graded(&q, &Layout::Fixed, Response::Number(text.into()));
    assert_eq!(at("1.4").fraction, 1.0);
    assert_eq!(at("1.6").fraction, 1.0);
    assert_eq!(at("1.6001").fraction, 0.5);
    assert_eq!(at("2").fraction, 0.5);
    assert_eq!(at("1").fraction, 0.5);
    assert_eq!(at("2.0001").state, State::Incorrect);
}

#[test]
fn numerical_reads_units() {
    let q = fixtures::numerical();
    let cm = graded(&q, &Layout::Fixed, Response::Number("155 cm".into()));
    assert_eq!((cm.state, cm.feedback.clone()), (State::Correct, vec![Text::plain("Yes.")]));
    let m = graded(&q, &Layout::Fixed, Response::Number("1.5m".into()));
    assert_eq!(m.state, State::Correct);
    assert!(grade(&q, &Layout::Fixed, &Response::Number("1 000".into())).is_err());
}

#[test]
fn matching_scores_the_share_of_stems_right() {
    let q = fixtures::matching(); // options: Paris, Rome, Madrid, Berlin
    let layout = Layout::Matching { options: vec![3, 2, 1, 0] }; // Berlin, Madrid, Rome, Paris
    let all = graded(&q, &layout, Response::Matching(vec![Some(3), Some(2), Some(1)]));
    assert_eq!(all.state, State::Correct);
    let two = graded(&q, &layout, Response::Matching(vec![Some(3), Some(0), Some(1)]));
    assert!(close(two.fraction, 2.0 / 3.0));
    let one = graded(&q, &layout, Response::Matching(vec![None, Some(2), None]));
    assert!(close(one.fraction, 1.0 / 3.0));
    let none = graded(&q, &layout, Response::Matching(vec![None, None, None]));
    assert_eq!(none.state, State::Unanswered);
}

#[test]
fn ordering_gives_credit_for_each_right_neighbour() {
    let q = fixtures::ordering(); // Mercury, Venus, Earth, Mars
    let layout = Layout::Ordering { items: vec![3, 2, 1, 0] }; // shown reversed
    let solved = graded(&q, &layout, Response::Order(vec![3, 2, 1, 0]));
    assert_eq!((solved.state, solved.fraction), (State::Correct, 1.0));
    // Venus, Mercury, Earth, Mars: only Earth → Mars is right.
    let swapped = graded(&q, &layout, Response::Order(vec![2, 3, 1, 0]));
    assert!(close(swapped.fraction, 1.0 / 3.0));
    // Mars, Mercury, Venus, Earth: Mercury → Venus → Earth are right.
    let rotated = graded(&q, &layout, Response::Order(vec![0, 3, 2, 1]));
    assert!(close(rotated.fraction, 2.0 / 3.0));
    let reversed = graded(&q, &layout, Response::Order(vec![0, 1, 2, 3]));
    assert_eq!((reversed.state, reversed.fraction), (State::Incorrect, 0.0));
}

#[test]
fn cloze_weights_blanks_and_reports_each() {
    let q = fixtures::cloze(); // weights 2 (SA), 1 (MC), 1 (NM)
    let layout = Layout::Cloze { blanks: vec![vec![], vec![1, 0], vec![]] };
    let answer = |a: &str, choice: usize, n: &str| {
        Response::Cloze(vec![
            BlankResponse::Text(a.into()),
            BlankResponse::Choice(choice),
            BlankResponse::Text(n.into()),
        ])
    };
    let all = graded(&q, &layout, answer("Cat", 1, "4"));
    assert_eq!(all.state, State::Correct);
    assert_eq!(all.blanks[0].feedback.as_deref(), Some("Good cat"));
    let kitten = graded(&q, &layout, answer("kitten", 1, "5"));
    assert!(close(kitten.fraction, (2.0 * 0.5 + 1.0) / 4.0));
    assert_eq!(kitten.blanks[0].state, State::PartiallyCorrect);
    assert_eq!(kitten.blanks[2].state, State::Incorrect);
    let only_sa = Response::Cloze(vec![BlankResponse::Text("cat".into()), BlankResponse::Empty, BlankResponse::Empty]);
    let only_sa = graded(&q, &layout, only_sa);
    assert!(close(only_sa.fraction, 0.5));
    assert_eq!(only_sa.blanks[1].state, State::Unanswered);
}

#[test]
fn essays_wait_for_a_person_and_manual_grades_are_checked() {
    let q = fixtures::essay();
    let response = Response::Essay { text: "Because…".into(), attachments: 0 };
    let outcome = graded(&q, &Layout::Fixed, response);
    assert_eq!((outcome.state, outcome.fraction), (State::NotGraded, 0.0));
    let empty = Response::Essay { text: " ".into(), attachments: 0 };
    assert_eq!(graded(&q, &Layout::Fixed, empty).state, State::Unanswered);
    let manual = manual_grade(0.75, Text::plain("Good argument.")).unwrap();
    assert_eq!((manual.state, manual.fraction), (State::PartiallyCorrect, 0.75));
    assert_eq!(manual.feedback, vec![Text::plain("Good argument.")]);
    assert_eq!(manual_grade(1.0, Text::default()).unwrap().feedback, vec![]);
    assert_eq!(manual_grade(1.5, Text::default()), Err(GradeError::FractionOutOfRange(1.5)));
    assert!(manual_grade(f64::NAN, Text::default()).is_err());
}

#[test]
fn a_response_that_does_not_fit_is_an_error_not_a_wrong_answer() {
    let q = fixtures::single_choice();
    let layout = Layout::Choices { order: identity(3) };
    assert_eq!(grade(&q, &layout, &Response::Choices(vec![7])), Err(ResponseError::OutOfRange { index: 7, count: 3 }));
    assert!(grade(&fixtures::description(), &Layout::Fixed, &Response::Unanswered).is_err());
}

#[test]
fn a_catch_all_numerical_answer_gives_its_feedback_to_any_other_number() {
    let mut q = fixtures::numerical();
    if let QuestionKind::Numerical { answers, .. } = &mut q.kind {
        answers.push(crate::question::NumericAnswer {
            value: 0.0,
            tolerance: crate::question::NumericAnswer::ANY,
            fraction: 0.0,
            feedback: Text::plain("Measure again."),
        });
    }
    assert_eq!(q.validate(), Ok(()));
    let far = graded(&q, &Layout::Fixed, Response::Number("-1e300".into()));
    assert_eq!(far.state, State::Incorrect);
    assert_eq!(far.feedback, vec![Text::plain("Measure again.")]);
    assert_eq!(graded(&q, &Layout::Fixed, Response::Number("1.5".into())).state, State::Correct);
}

#[test]
fn questions_responses_and_outcomes_survive_serde() {
    for q in fixtures::all() {
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(serde_json::from_str::<Question>(&json).unwrap(), q);
    }
    let response =
        Response::Cloze(vec![BlankResponse::Text("cat".into()), BlankResponse::Choice(1), BlankResponse::Empty]);
    let json = serde_json::to_string(&response).unwrap();
    assert_eq!(serde_json::from_str::<Response>(&json).unwrap(), response);
    let outcome = manual_grade(0.5, Text::plain("ok")).unwrap();
    let json = serde_json::to_string(&outcome).unwrap();
    assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
}
