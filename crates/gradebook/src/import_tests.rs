use super::*;

fn item(id: &str, title: &str, source: &str, max: f64) -> Item {
    Item {
        id: id.into(),
        course_id: String::new(),
        source: source.into(),
        source_id: id.into(),
        title: title.into(),
        max_points: max,
        hidden: 0,
        created_at: 0,
        updated_at: 0,
        category_id: None,
        extra_credit: 0,
    }
}

fn learner(id: &str, email: &str, active: bool) -> Learner {
    Learner { user_id: id.into(), name: id.into(), email: email.into(), active }
}

#[test]
fn a_semicolon_file_with_a_byte_order_mark_and_quotes_reads() {
    let rows = read_csv("\u{feff}Name;E-mail;\"Oral; part 1 / 20\"\r\n\"Zoë \"\"Z\"\"\";z@x.org;12,5\r\n\r\n").unwrap();
    assert_eq!(
        rows,
        vec![
            (1, vec!["Name".to_string(), "E-mail".into(), "Oral; part 1 / 20".into()]),
            (2, vec!["Zoë \"Z\"".to_string(), "z@x.org".into(), "12,5".into()]),
        ]
    );
    assert_eq!(read_csv("\u{feff}  \n"), Err(ImportFileProblem::Empty));
}

#[test]
fn the_plan_writes_manual_items_and_says_what_it_refuses() {
    let items =
        [item("q", "Quiz", "quiz", 100.0), item("t", "Talk", "manual", 10.0), item("o", "Oral", "manual", 20.0)];
    let learners =
        [learner("u1", "Ana@x.org", true), learner("u2", "li@x.org", true), learner("u3", "gone@x.org", false)];
    let entries = [Entry {
        item_id: "t".into(),
        user_id: "u2".into(),
        points: Some(4.0),
        override_points: None,
        override_note: String::new(),
        updated_at: 0,
    }];
    let text = "Name,E-mail,Quiz / 100,Talk / 10,Oral,Mood,Total %\n\
                A,ana@x.org,50,7,,,\n\
                L,li@x.org,,4,lots,,\n\
                G,gone@x.org,,1,,,\n\
                N,nobody@x.org,,1,,,\n\
                A,ana@x.org,,11,,,\n";
    let plan = plan(&read_csv(text).unwrap(), &items, &learners, &entries).unwrap();
    assert_eq!(plan.changes.len(), 1, "{plan:?}");
    assert_eq!((plan.changes[0].user_id.as_str(), plan.changes[0].old, plan.changes[0].new), ("u1", None, 7.0));
    assert_eq!(plan.unchanged, 1, "Li's 4 is already there");
    let problems: Vec<(usize, &Problem)> = plan.errors.iter().map(|e| (e.line, &e.problem)).collect();
    assert_eq!(
        problems,
        vec![
            (1, &Problem::UnknownColumn),
            (3, &Problem::NotANumber { value: "lots".into() }),
            (4, &Problem::NotEnrolled),
            (5, &Problem::UnknownEmail),
            (6, &Problem::DuplicateRow),
        ]
    );
    let ignored: Vec<(&str, &str)> = plan.ignored.iter().map(|i| (i.column.as_str(), i.reason.as_str())).collect();
    assert_eq!(ignored, [("Name", "export"), ("Quiz / 100", "quiz"), ("Total %", "export")]);
    let over = plan_of("E-mail,Talk\nli@x.org,10.5\n", &items, &learners);
    assert_eq!(over.errors[0].problem, Problem::OutOfRange { max: 10.0 });
    assert_ne!(over.digest(), plan_of("E-mail,Talk\nli@x.org,9\n", &items, &learners).digest());
}

fn plan_of(text: &str, items: &[Item], learners: &[Learner]) -> Plan {
    plan(&read_csv(text).unwrap(), items, learners, &[]).unwrap()
}
