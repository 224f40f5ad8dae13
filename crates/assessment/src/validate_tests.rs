use super::*;
use crate::fixtures::{self, choice};

fn kind_of(mut q: Question, edit: impl FnOnce(&mut QuestionKind)) -> Question {
    edit(&mut q.kind);
    q
}

#[test]
fn every_fixture_is_valid() {
    for q in fixtures::all() {
        assert_eq!(q.validate(), Ok(()), "{}", q.name);
    }
}

#[test]
fn refuses_empty_name_text_and_bad_mark() {
    let mut q = fixtures::true_false();
    q.name = "  ".into();
    assert_eq!(q.validate(), Err(QuestionError::EmptyName));
    let mut q = fixtures::true_false();
    q.text = Text::plain("\n");
    assert_eq!(q.validate(), Err(QuestionError::EmptyText));
    let mut q = fixtures::true_false();
    q.default_mark = 0.0;
    assert_eq!(q.validate(), Err(QuestionError::BadMark(0.0)));
}

#[test]
fn single_choice_needs_a_full_mark_choice() {
    let q = kind_of(fixtures::single_choice(), |k| {
        if let QuestionKind::MultipleChoice { choices, .. } = k {
            choices[0].fraction = 0.9;
        }
    });
    let err = q.validate().unwrap_err();
    assert_eq!(err, QuestionError::NoFullMarkChoice);
    assert_eq!(err.to_string(), "a multiple-choice question with one correct answer needs a choice worth 100 %");
}

#[test]
fn multi_choice_correct_choices_must_add_up_to_a_whole_mark() {
    let q = kind_of(fixtures::multi_choice(), |k| {
        if let QuestionKind::MultipleChoice { choices, .. } = k {
            choices[1].fraction = 0.25;
        }
    });
    assert_eq!(q.validate(), Err(QuestionError::CorrectChoicesNotWhole(75.0)));
    let thirds = kind_of(fixtures::multi_choice(), |k| {
        if let QuestionKind::MultipleChoice { choices, .. } = k {
            *choices = vec![choice("a", 0.3333, ""), choice("b", 0.3333, ""), choice("c", 0.3333, "")];
        }
    });
    assert_eq!(thirds.validate(), Ok(()));
}

#[test]
fn refuses_fractions_out_of_range_and_duplicate_choices() {
    let q = kind_of(fixtures::single_choice(), |k| {
        if let QuestionKind::MultipleChoice { choices, .. } = k {
            choices[1].fraction = -1.5;
        }
    });
    let err = q.validate().unwrap_err();
    assert_eq!(err.to_string(), "choice 2 is worth -150 %, outside -100 % to 100 %");
    let q = kind_of(fixtures::single_choice(), |k| {
        if let QuestionKind::MultipleChoice { choices, .. } = k {
            choices[2].text = Text::plain("Paris ");
        }
    });
    assert_eq!(q.validate(), Err(QuestionError::Duplicate("Paris".into())));
}

#[test]
fn short_answer_fractions_may_not_be_negative() {
    let q = kind_of(fixtures::short_answer(), |k| {
        if let QuestionKind::ShortAnswer { answers, .. } = k {
            answers[2].fraction = -0.5;
        }
    });
    assert!(matches!(q.validate(), Err(QuestionError::FractionOutOfRange { .. })));
}

#[test]
fn numerical_refuses_negative_tolerance_and_bad_units() {
    let q = kind_of(fixtures::numerical(), |k| {
        if let QuestionKind::Numerical { answers, .. } = k {
            answers[0].tolerance = -0.1;
        }
    });
    assert_eq!(q.validate(), Err(QuestionError::NegativeTolerance { value: -0.1 }));
    let q = kind_of(fixtures::numerical(), |k| {
        if let QuestionKind::Numerical { units, .. } = k {
            units.swap(0, 1);
        }
    });
    assert_eq!(q.validate(), Err(QuestionError::FirstUnitNotBase { unit: "cm".into() }));
}

#[test]
fn matching_needs_two_pairs_and_ordering_two_items() {
    let q = kind_of(fixtures::matching(), |k| {
        if let QuestionKind::Matching { pairs, .. } = k {
            pairs.truncate(1);
        }
    });
    assert_eq!(q.validate().unwrap_err().to_string(), "matching needs at least two pairs");
    let q = kind_of(fixtures::ordering(), |k| {
        if let QuestionKind::Ordering { items } = k {
            items.truncate(1);
        }
    });
    assert_eq!(q.validate(), Err(QuestionError::TooFewItems));
}

#[test]
fn cloze_errors_are_reported_with_the_blank() {
    let q = kind_of(fixtures::cloze(), |k| {
        if let QuestionKind::Cloze { text } = k {
            text.body = "x {1:SA:=a} y {1:SA:%20%b}".into();
        }
    });
    assert_eq!(q.validate().unwrap_err().to_string(), "blank 2 needs an answer worth 100 % (start it with =)");
}
