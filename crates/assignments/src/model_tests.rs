use super::*;

#[test]
fn the_defaults_are_valid_and_each_rule_names_its_field() {
    assert!(Settings::default().validate().is_empty());
    let bad = Settings {
        due_at: Some(2_000),
        cut_off_at: Some(1_000),
        online_text: false,
        max_files: 0,
        max_points: 0.0,
        pass_points: Some(-1.0),
        late_penalty_percent: 101.0,
        late_penalty_cap: f64::NAN,
        completion: Completion::Submitted,
        ..Settings::default()
    };
    let fields: Vec<&str> = bad.validate().iter().map(SettingsError::field).collect();
    assert_eq!(
        fields,
        [
            "settings.cut_off_at",
            "settings.online_text",
            "settings.max_points",
            "settings.pass_points",
            "settings.late_penalty_percent",
            "settings.late_penalty_cap"
        ]
    );
    let needs_pass = Settings { completion: Completion::Passed, ..Settings::default() };
    assert_eq!(needs_pass.validate(), [SettingsError::CompletionNeedsPass]);
    let over = Settings { pass_points: Some(101.0), ..Settings::default() };
    assert_eq!(over.validate(), [SettingsError::PassPoints]);
    let blind = Settings { blind_marking: true, ..Settings::default() };
    assert_eq!(blind.validate(), [SettingsError::BlindNeedsRelease]);
    assert!(Settings { release: Release::Manual, ..blind }.validate().is_empty());
}

#[test]
fn the_opening_date_comes_before_the_due_date_and_the_cut_off() {
    let opens = |opens_at, due_at, cut_off_at| Settings { opens_at, due_at, cut_off_at, ..Settings::default() };
    assert!(opens(Some(1_000), Some(1_000), Some(2_000)).validate().is_empty(), "opening at the due date is fine");
    assert_eq!(opens(Some(3_000), Some(2_000), None).validate(), [SettingsError::OpensAfterDue]);
    assert_eq!(opens(Some(3_000), None, Some(2_000)).validate(), [SettingsError::OpensAfterDue]);
    assert_eq!(SettingsError::OpensAfterDue.field(), "settings.opens_at");
    let s = opens(Some(1_000), None, None);
    assert!(!s.opened(999) && s.opened(1_000));
    assert!(Settings::default().opened(0));
}

#[test]
fn files_need_a_kind_and_share_the_room_of_a_submission() {
    let none = Settings { accepted_kinds: Vec::new(), ..Settings::default() };
    assert_eq!(none.validate(), [SettingsError::NoFileKinds]);
    assert!(Settings { max_files: 0, ..none }.validate().is_empty(), "text only: no kind needed");
    let pdf_only = Settings { accepted_kinds: vec![FileKind::Pdf], max_total_bytes: 1_000, ..Settings::default() };
    assert!(pdf_only.accepts(FileKind::Pdf) && !pdf_only.accepts(FileKind::Image));
    assert_eq!((pdf_only.room_left(400), pdf_only.room_left(1_200)), (Some(600), Some(0)));
    assert_eq!(Settings::default().room_left(u64::MAX), None, "0: only the per-file limit");
}

#[test]
fn tries_are_from_1_to_20() {
    for (tries, ok) in [(0, false), (1, true), (20, true), (21, false)] {
        let s = Settings { resubmit: Resubmit::AfterGrade, max_tries: tries, ..Settings::default() };
        assert_eq!(s.validate().is_empty(), ok, "{tries}");
    }
    assert_eq!(SettingsError::MaxTries.field(), "settings.max_tries");
}

#[test]
fn the_penalty_counts_each_unit_started_up_to_the_cap() {
    let s = Settings { late_penalty_percent: 10.0, late_penalty_cap: 25.0, ..Settings::default() };
    assert_eq!(s.penalty_percent(0), 0.0);
    assert_eq!(s.penalty_percent(1), 10.0, "a minute late is a day started");
    assert_eq!(s.penalty_percent(DAY_MS), 10.0);
    assert_eq!(s.penalty_percent(DAY_MS + 1), 20.0);
    assert_eq!(s.penalty_percent(10 * DAY_MS), 25.0, "capped");
    assert_eq!(s.grade(80.0, DAY_MS + 1), 60.0, "20 % of a 100-point maximum");
    assert_eq!(s.grade(5.0, 10 * DAY_MS), 0.0, "never below zero");
    let hourly = Settings { late_penalty_percent: 1.0, late_penalty_unit: PenaltyUnit::Hour, ..s };
    assert_eq!(hourly.penalty_percent(3 * HOUR_MS - 1), 3.0);
}

#[test]
fn settings_that_only_name_a_rubric_grade_with_it_and_a_method_needs_its_definition() {
    let legacy = Settings { rubric_id: Some("r1".into()), ..Settings::default() };
    assert_eq!(legacy.grading(), (GradingMethod::Rubric, Some("r1")));
    let stored = legacy.canonical();
    assert_eq!((stored.grading_method, stored.grading_id.as_deref()), (Some(GradingMethod::Rubric), Some("r1")));
    assert_eq!(stored.rubric_id.as_deref(), Some("r1"), "kept for older readers");
    let guide = Settings { grading_method: Some(GradingMethod::Guide), grading_id: Some("g1".into()), ..stored };
    let guide = guide.canonical();
    assert_eq!((guide.grading(), guide.rubric_id.as_deref()), ((GradingMethod::Guide, Some("g1")), None));
    let points = Settings { grading_method: Some(GradingMethod::Points), ..guide.clone() }.canonical();
    assert_eq!((points.grading(), points.grading_id.as_deref()), ((GradingMethod::Points, None), None));
    let missing = Settings { grading_method: Some(GradingMethod::Scale), ..Settings::default() };
    assert_eq!(missing.validate(), [SettingsError::GradingNeedsDefinition]);
    assert_eq!(SettingsError::GradingNeedsDefinition.field(), "settings.grading_id");
}

#[test]
fn a_scale_grade_takes_no_late_penalty() {
    let scale = Settings {
        grading_method: Some(GradingMethod::Scale),
        grading_id: Some("s1".into()),
        late_penalty_percent: 10.0,
        ..Settings::default()
    };
    assert_eq!((scale.penalty_percent(DAY_MS), scale.grade(50.0, DAY_MS)), (0.0, 50.0));
}

#[test]
fn an_extension_moves_the_due_date_and_the_cut_off_with_it() {
    let s = Settings { due_at: Some(1_000), cut_off_at: Some(2_000), ..Settings::default() };
    let own = s.dates_for(None);
    assert_eq!((own.late_ms(1_500), own.closed(2_001)), (500, true));
    let extended = s.dates_for(Some(5_000));
    assert_eq!(extended, Dates { due_at: Some(5_000), cut_off_at: Some(5_000), extended: true });
    assert_eq!((extended.late_ms(4_000), extended.closed(4_000)), (0, false));
    let early = s.dates_for(Some(1_500));
    assert_eq!(early.cut_off_at, Some(2_000), "an extension never brings the cut-off forward");
    assert!(!Settings::default().dates_for(None).closed(i64::MAX));
}
