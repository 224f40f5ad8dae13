use super::*;
use crate::fixtures;
use crate::format::assert_same;
use crate::question::{Question, QuestionKind};
use crate::text::{Text, TextFormat};

const BANK: &str = r"// A realistic bank, as a teacher writes it.
$CATEGORY: Geography/Europe

// [tag:capitals] [tag:easy]
::Capital of France::[markdown]What is the capital of **France**? {
    =Paris#Yes, Paris.
    ~Lyon#No, that is the third city.
    ~%-50%Marseille#No.
    ####Paris has been the capital since 987.
}

::Sky::The sky is green.{FALSE#It is blue, not green.#Right, it is not.}

::Primes::Which numbers are prime? {
    ~%50%2
    ~%50%3
    ~%-100%4#4 is 2×2
}

::Author::Who wrote \{Hamlet\}? {=William Shakespeare =%80%*Shakespeare#First name? }

$CATEGORY: Science

::Quarter::What is 13 divided by 4? {#3.25:0.005}

::Range::Pick a number from 1 to 5. {#1..5}

::Weighted::What is 3? {#
    =%100%3:0#Exact.
    =%50%3:1#Close.
}

::Match::Match the capitals. {
    =France -> Paris
    =Italy -> Rome
    = -> Berlin
}

::Essay::Describe photosynthesis. {}

::Intro::[html]<p>Read the passage below.</p>

Two plus two is \= 4 \: true? {T}
";

fn kinds(report: &crate::format::ImportReport) -> Vec<&'static str> {
    report.questions.iter().map(|q| q.question.kind_name()).collect()
}

#[test]
fn imports_a_realistic_bank() {
    let report = parse(BANK);
    assert_eq!(report.problems, vec![]);
    assert_eq!(
        kinds(&report),
        [
            "multichoice",
            "truefalse",
            "multichoice",
            "shortanswer",
            "numerical",
            "numerical",
            "numerical",
            "matching",
            "essay",
            "description",
            "truefalse"
        ]
    );
    let first = &report.questions[0];
    assert_eq!(first.category.as_deref(), Some("Geography/Europe"));
    assert_eq!(first.line, 5);
    assert_eq!(first.tags, ["capitals", "easy"]);
    assert_eq!(first.question.name, "Capital of France");
    assert_eq!(first.question.text, Text::markdown("What is the capital of **France**?"));
    assert_eq!(first.question.general_feedback.body, "Paris has been the capital since 987.");
    assert_eq!(report.questions[4].category.as_deref(), Some("Science"));
    assert!(report.questions.iter().all(|q| q.attachments.is_empty()));
}

#[test]
fn reads_multiple_choice_worths_and_feedback() {
    let report = parse(BANK);
    let QuestionKind::MultipleChoice { single, choices, .. } = &report.questions[0].question.kind else {
        panic!("expected multiple choice")
    };
    assert!(*single);
    let worths: Vec<f64> = choices.iter().map(|c| c.fraction).collect();
    assert_eq!(worths, [1.0, 0.0, -0.5]);
    assert_eq!(choices[1].feedback.body, "No, that is the third city.");
    let QuestionKind::MultipleChoice { single, .. } = &report.questions[2].question.kind else {
        panic!("expected multiple choice")
    };
    assert!(!*single, "only ~%n% answers make a several-answer question");
}

#[test]
fn true_false_feedback_is_wrong_then_right() {
    let report = parse(BANK);
    let QuestionKind::TrueFalse { correct, feedback_true, feedback_false } = &report.questions[1].question.kind else {
        panic!("expected true/false")
    };
    assert!(!*correct);
    assert_eq!(feedback_true.body, "It is blue, not green.");
    assert_eq!(feedback_false.body, "Right, it is not.");
    let last = &report.questions[10].question;
    assert_eq!(last.text.body, "Two plus two is = 4 : true?");
    assert_eq!(last.name, "Two plus two is = 4 : true?");
}

#[test]
fn reads_short_answers_and_every_numerical_form() {
    let report = parse(BANK);
    let q = |i: usize| &report.questions[i].question.kind;
    let QuestionKind::ShortAnswer { answers, .. } = q(3) else { panic!("expected short answer") };
    assert_eq!(answers[1].pattern, "*Shakespeare");
    assert_eq!(answers[1].fraction, 0.8);
    assert_eq!(report.questions[3].question.text.body, "Who wrote {Hamlet}?");
    let numbers = |i| match q(i) {
        QuestionKind::Numerical { answers, .. } => answers.iter().map(|a| (a.value, a.tolerance, a.fraction)).collect(),
        _ => Vec::new(),
    };
    assert_eq!(numbers(4), [(3.25, 0.005, 1.0)]);
    assert_eq!(numbers(5), [(3.0, 2.0, 1.0)]);
    assert_eq!(numbers(6), [(3.0, 0.0, 1.0), (3.0, 1.0, 0.5)]);
}

#[test]
fn reads_matching_with_a_distractor() {
    let report = parse(BANK);
    let QuestionKind::Matching { pairs, distractors, .. } = &report.questions[7].question.kind else {
        panic!("expected matching")
    };
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[1].answer, "Rome");
    assert_eq!(distractors, &["Berlin"]);
    assert_eq!(report.questions[9].question.text.format, TextFormat::Html);
}

#[test]
fn a_bad_question_is_reported_with_its_line_and_the_rest_imported() {
    let input = "::One::Fine? {T}\n\n::Two::Broken {\n=a\n~b\n\n::Three::Worth? {~%abc%x =y}\n\n::Four::Single? {=a =b}\n\n::Five::Too few {=a -> b}\n";
    let report = parse(input);
    assert_eq!(report.questions.len(), 2);
    assert_eq!(report.questions[1].question.name, "Four");
    assert_eq!(report.questions[1].line, 9);
    let lines: Vec<usize> = report.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 7, 11]);
    assert!(report.problems[0].message.contains("never closed"), "{:?}", report.problems);
    assert!(report.problems[1].message.contains("%abc%"));
    assert_eq!(report.problems[2].message, "\"Five\": matching needs at least two pairs");
}

#[test]
fn exports_and_reimports_every_kind_gift_can_hold() {
    let questions: Vec<Question> = fixtures::all()
        .into_iter()
        .filter(|q| !matches!(q.kind_name(), "ordering" | "cloze"))
        .map(gift_shaped)
        .collect();
    let input: Vec<_> = questions.iter().map(|q| (Some("Bank".to_owned()), q.clone())).collect();
    let exported = to_gift(&input);
    assert_eq!(exported.skipped, vec![]);
    let report = parse(&exported.text);
    assert_eq!(report.problems, vec![], "{}", exported.text);
    assert_eq!(report.questions.len(), questions.len());
    for (original, imported) in questions.iter().zip(&report.questions) {
        assert_same(original, &imported.question);
        assert_eq!(imported.category.as_deref(), Some("Bank"));
    }
}

#[test]
fn export_skips_ordering_and_cloze_and_names_what_is_lost() {
    let mut numerical = fixtures::numerical();
    numerical.default_mark = 2.0;
    if let QuestionKind::Numerical { answers, .. } = &mut numerical.kind {
        let mut any = answers[0].clone();
        any.tolerance = crate::question::NumericAnswer::ANY;
        answers.push(any);
    }
    let input = [fixtures::ordering(), fixtures::cloze(), numerical, fixtures::essay()].map(|q| (None, q));
    let report = to_gift(&input);
    assert_eq!(
        report.skipped,
        [
            ("Planets".to_owned(), "GIFT has no ordering questions".to_owned()),
            ("Cloze".to_owned(), "GIFT has no cloze questions".to_owned())
        ]
    );
    let lossy: Vec<&str> = report.lossy.iter().map(|(_, what)| what.as_str()).collect();
    assert_eq!(
        lossy,
        [
            "default mark 2",
            "units",
            "the catch-all (*) answer",
            "essay settings (required response, attachments, grader information)"
        ]
    );
    assert!(!report.text.contains("$CATEGORY"));
    assert!(!report.text.contains("e308") && report.text.len() < 1000, "{}", report.text);
}

/// The fixture as GIFT can carry it: shuffled, no units, default essay
/// settings, every text in the question's format.
fn gift_shaped(mut q: Question) -> Question {
    let format = q.text.format;
    let reformat = |t: &mut Text| t.format = format;
    reformat(&mut q.general_feedback);
    match &mut q.kind {
        QuestionKind::MultipleChoice { shuffle, choices, .. } => {
            *shuffle = true;
            choices.iter_mut().for_each(|c| {
                reformat(&mut c.text);
                reformat(&mut c.feedback);
            });
        }
        QuestionKind::Matching { shuffle, pairs, .. } => {
            *shuffle = true;
            pairs.iter_mut().for_each(|p| reformat(&mut p.question));
        }
        QuestionKind::Numerical { units, answers } => {
            units.clear();
            answers.iter_mut().for_each(|a| reformat(&mut a.feedback));
        }
        QuestionKind::ShortAnswer { answers, .. } => answers.iter_mut().for_each(|a| reformat(&mut a.feedback)),
        QuestionKind::TrueFalse { feedback_true, feedback_false, .. } => {
            reformat(feedback_true);
            reformat(feedback_false);
        }
        QuestionKind::Essay { .. } => {
            q.kind =
                QuestionKind::Essay { response_required: true, attachments_allowed: 0, grader_info: Text::default() }
        }
        _ => {}
    }
    q
}

#[test]
fn reads_windows_files_and_multi_line_texts() {
    let input = "\u{feff}$CATEGORY: Win\r\n\r\n::Long::First line\r\nsecond line {\r\n=yes\r\n~no\r\n}\r\n";
    let report = parse(input);
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.questions[0].category.as_deref(), Some("Win"));
    assert_eq!(report.questions[0].question.text.body, "First line\nsecond line");
    assert_eq!(report.questions[0].line, 3);
}

#[test]
fn no_truncation_of_a_bank_makes_the_parser_panic() {
    for (end, _) in BANK.char_indices() {
        let report = parse(&BANK[..end]);
        assert!(report.questions.len() <= 11);
    }
}
