//! Reading the number a learner typed. Strict on purpose: `1,5` and `1 000`
//! mean different things in different countries, so they are refused with a
//! message saying how to write the number, rather than guessed at.

use crate::question::Unit;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NumberError {
    #[error("enter a number")]
    Empty,
    #[error("\"{0}\" is not a number")]
    NotANumber(String),
    #[error("use a point for decimals: 1.5, not 1,5")]
    DecimalComma,
    #[error("write the number without spaces: 1000, not 1 000")]
    Spaces,
    #[error("\"{unit}\" is not one of the units this question accepts ({known})")]
    UnknownUnit { unit: String, known: String },
}

/// Reads `1.5`, `-2`, `+.5`, `1e3`, `2.5E-3`, optionally followed by one of
/// `units` (`150 cm`, `150cm`), and gives the value in the question's first
/// unit (`value ÷ multiplier`). A number without a unit is taken to be in
/// the first unit.
pub fn parse_number(input: &str, units: &[Unit]) -> Result<f64, NumberError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(NumberError::Empty);
    }
    let end = number_end(input);
    let (number, rest) = input.split_at(end);
    let value: f64 =
        number.parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| NumberError::NotANumber(input.to_owned()))?;
    let unit = rest.trim();
    if unit.is_empty() {
        return Ok(value);
    }
    if unit.starts_with(|c: char| c.is_ascii_digit()) && rest.starts_with(char::is_whitespace) {
        return Err(NumberError::Spaces);
    }
    if unit.starts_with(',') && unit[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return Err(NumberError::DecimalComma);
    }
    match units.iter().find(|u| u.unit == unit) {
        Some(u) => Ok(value / u.multiplier),
        None if units.is_empty() => Err(NumberError::NotANumber(input.to_owned())),
        None => Err(NumberError::UnknownUnit {
            unit: unit.to_owned(),
            known: units.iter().map(|u| u.unit.as_str()).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// The length of the number at the start of `s`: sign, digits, a point and
/// digits, and an exponent only when digits follow the `e` (so `2em` is two
/// ems, not a broken exponent).
fn number_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let digits = |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    i = digits(i);
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        let exponent_end = digits(i + 1 + sign);
        if exponent_end > i + 1 + sign {
            i = exponent_end;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<Unit> {
        vec![Unit { unit: "m".into(), multiplier: 1.0 }, Unit { unit: "cm".into(), multiplier: 100.0 }]
    }

    #[test]
    fn reads_plain_signed_and_exponent_numbers() {
        assert_eq!(parse_number("1.5", &[]), Ok(1.5));
        assert_eq!(parse_number(" -2 ", &[]), Ok(-2.0));
        assert_eq!(parse_number("1e3", &[]), Ok(1000.0));
        assert_eq!(parse_number("2.5E-3", &[]), Ok(0.0025));
        assert_eq!(parse_number("+.5", &[]), Ok(0.5));
    }

    #[test]
    fn converts_units_to_the_first_unit() {
        assert_eq!(parse_number("150 cm", &units()), Ok(1.5));
        assert_eq!(parse_number("150cm", &units()), Ok(1.5));
        assert_eq!(parse_number("1.5 m", &units()), Ok(1.5));
        assert_eq!(parse_number("1.5", &units()), Ok(1.5));
        assert_eq!(
            parse_number("3 ft", &units()),
            Err(NumberError::UnknownUnit { unit: "ft".into(), known: "m, cm".into() })
        );
    }

    #[test]
    fn refuses_commas_spaces_and_words_with_a_message() {
        assert_eq!(parse_number("1,5", &[]), Err(NumberError::DecimalComma));
        let spaced = parse_number("1 000", &[]).unwrap_err();
        assert_eq!(spaced, NumberError::Spaces);
        assert_eq!(spaced.to_string(), "write the number without spaces: 1000, not 1 000");
        assert_eq!(parse_number("", &[]), Err(NumberError::Empty));
        assert_eq!(parse_number("abc", &[]), Err(NumberError::NotANumber("abc".into())));
        assert_eq!(parse_number("2 apples", &[]), Err(NumberError::NotANumber("2 apples".into())));
    }
}
