//! The staff's attempts table as CSV. Cells a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) are prefixed with `'` (OWASP's CSV
//! injection advice): learner names are user-written.

use lyceum_platform::{csv::cell, db::rfc3339};

use crate::service::grading::AttemptLine;

pub fn results(lines: &[AttemptLine]) -> String {
    let mut out = String::from("learner,email,attempt,state,started,submitted,marks,max_marks,percent\n");
    for l in lines {
        let r = &l.row;
        let row = [
            cell(&l.learner_name),
            cell(&l.learner_email),
            r.number.to_string(),
            r.state.clone(),
            rfc3339(r.started_at),
            r.submitted_at.map(rfc3339).unwrap_or_default(),
            r.marks.map(|m| format!("{m:.2}")).unwrap_or_default(),
            format!("{:.2}", r.max_marks),
            l.percent().map(|p| format!("{p:.1}")).unwrap_or_default(),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_and_separators_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("Ada, Countess"), "\"Ada, Countess\"");
        assert_eq!(cell("Ada"), "Ada");
    }
}
