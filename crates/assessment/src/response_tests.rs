use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;
use crate::fixtures;

fn check(question: &Question, response: Response) -> Result<(), ResponseError> {
    let layout = Layout::new(question, true, &mut StdRng::seed_from_u64(1));
    response.validate(question, &layout)
}

#[test]
fn single_choice_takes_at_most_one_position_in_range() {
    let q = fixtures::single_choice();
    assert_eq!(check(&q, Response::Choices(vec![2])), Ok(()));
    assert_eq!(check(&q, Response::Choices(vec![0, 1])), Err(ResponseError::TooManyChoices));
    assert_eq!(check(&q, Response::Choices(vec![3])), Err(ResponseError::OutOfRange { index: 3, count: 3 }));
    let multi = fixtures::multi_choice();
    assert_eq!(check(&multi, Response::Choices(vec![0, 2])), Ok(()));
    assert_eq!(check(&multi, Response::Choices(vec![1, 1])), Err(ResponseError::DuplicateChoice(1)));
}

#[test]
fn an_answer_of_another_kind_is_refused() {
    let err = check(&fixtures::true_false(), Response::Text("true".into())).unwrap_err();
    assert_eq!(err, ResponseError::WrongKind { expected: "truefalse" });
    assert_eq!(check(&fixtures::description(), Response::Unanswered), Err(ResponseError::NoAnswerExpected));
    assert_eq!(check(&fixtures::essay(), Response::Unanswered), Ok(()));
}

#[test]
fn numbers_must_be_readable_with_the_question_units() {
    let q = fixtures::numerical();
    assert_eq!(check(&q, Response::Number("150 cm".into())), Ok(()));
    assert_eq!(check(&q, Response::Number("".into())), Ok(()));
    assert_eq!(check(&q, Response::Number("1,5".into())), Err(ResponseError::Number(NumberError::DecimalComma)));
}

#[test]
fn matching_and_ordering_need_one_entry_per_stem_or_item() {
    let q = fixtures::matching();
    assert_eq!(check(&q, Response::Matching(vec![Some(0), None, Some(0)])), Ok(()));
    assert_eq!(check(&q, Response::Matching(vec![Some(0)])), Err(ResponseError::WrongCount { expected: 3, got: 1 }));
    assert!(matches!(check(&q, Response::Matching(vec![Some(4), None, None])), Err(ResponseError::OutOfRange { .. })));
    let q = fixtures::ordering();
    assert_eq!(check(&q, Response::Order(vec![3, 1, 0, 2])), Ok(()));
    assert_eq!(check(&q, Response::Order(vec![0, 0, 1, 2])), Err(ResponseError::NotAnOrder));
}

#[test]
fn cloze_answers_match_their_blanks() {
    let q = fixtures::cloze();
    let ok = Response::Cloze(vec![BlankResponse::Text("cat".into()), BlankResponse::Choice(1), BlankResponse::Empty]);
    assert_eq!(check(&q, ok), Ok(()));
    let wrong = Response::Cloze(vec![BlankResponse::Choice(0), BlankResponse::Choice(1), BlankResponse::Empty]);
    assert_eq!(check(&q, wrong), Err(ResponseError::BlankKind { blank: 1, expected: "a typed answer" }));
}

#[test]
fn essays_allow_only_so_many_attachments_and_a_stale_layout_is_refused() {
    let q = fixtures::essay();
    let too_many = Response::Essay { text: "x".into(), attachments: 3 };
    assert_eq!(check(&q, too_many), Err(ResponseError::TooManyAttachments { max: 2 }));
    let stale = Layout::Choices { order: vec![0, 1] };
    assert_eq!(
        Response::Choices(vec![0]).validate(&fixtures::single_choice(), &stale),
        Err(ResponseError::Layout(LayoutMismatch))
    );
}
