//! Money: an integer amount of minor units in a currency we accept. The one
//! list of currencies, the one parser of amounts people type, the one price
//! range and the one formatter for people live here, so authoring, the
//! catalog, enrollment and (next) payments cannot disagree. No floating point
//! anywhere: `0.1 + 0.2` is not a price.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Message, Text};

/// The largest price, in minor units (10,000,000.00 in a two-decimal currency).
pub const MAX_MINOR: i64 = 1_000_000_000;

/// Whether `minor` is an allowed price: 0 (free) to [`MAX_MINOR`].
pub fn within_range(minor: i64) -> bool {
    (0..=MAX_MINOR).contains(&minor)
}

macro_rules! currencies {
    ($($code:ident: $exponent:literal, $symbol:expr;)*) => {
        /// An ISO 4217 currency we accept for prices (in current use, settled by
        /// payment providers; extend the list rather than accepting any three letters).
        #[allow(clippy::upper_case_acronyms)] // the variants are the ISO codes
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Currency { $($code),* }

        impl Currency {
            /// Every accepted currency, in alphabetical order of its code.
            pub const ALL: &'static [Currency] = &[$(Currency::$code),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Currency::$code => stringify!($code)),* }
            }

            /// Decimal places of the minor unit (ISO 4217): 0 for the yen, 2 for the euro.
            pub fn exponent(self) -> u32 {
                match self { $(Currency::$code => $exponent),* }
            }

            /// The sign people read without doubt, or `None` (then the code is shown).
            pub fn symbol(self) -> Option<&'static str> {
                match self { $(Currency::$code => $symbol),* }
            }
        }
    };
}

// Exponents from ISO 4217. A symbol only where it names one currency: `$`
// is the US dollar (CLDR's English), the other dollars and pesos show their
// code, and `¥` is the yen (the yuan shows CNY).
currencies! {
    AED: 2, None;
    ARS: 2, None;
    AUD: 2, None;
    BGN: 2, None;
    BRL: 2, Some("R$");
    CAD: 2, None;
    CHF: 2, None;
    CLP: 0, None;
    CNY: 2, None;
    COP: 2, None;
    CZK: 2, None;
    DKK: 2, None;
    EGP: 2, None;
    EUR: 2, Some("€");
    GBP: 2, Some("£");
    HKD: 2, None;
    HUF: 2, None;
    IDR: 2, None;
    ILS: 2, Some("₪");
    INR: 2, Some("₹");
    ISK: 0, None;
    JPY: 0, Some("¥");
    KES: 2, None;
    KRW: 0, Some("₩");
    MXN: 2, None;
    MYR: 2, None;
    NGN: 2, Some("₦");
    NOK: 2, None;
    NZD: 2, None;
    PEN: 2, None;
    PHP: 2, Some("₱");
    PKR: 2, None;
    PLN: 2, None;
    RON: 2, None;
    SAR: 2, None;
    SEK: 2, None;
    SGD: 2, None;
    THB: 2, Some("฿");
    TRY: 2, Some("₺");
    TWD: 2, None;
    UAH: 2, Some("₴");
    USD: 2, Some("$");
    VND: 0, Some("₫");
    ZAR: 2, None;
}

impl Currency {
    /// An accepted ISO 4217 code, in any case, surrounding spaces ignored.
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let code = raw.trim();
        Self::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(code)).ok_or(MoneyError::UnknownCurrency)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As its code (`"EUR"`), the form the API and the caches already use.
impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Why an amount or a currency was refused; each message tells the person
/// what to type instead ([`MoneyError::text`]; `Display` is its English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text())]
pub enum MoneyError {
    UnknownCurrency,
    Empty,
    Signed,
    NotANumber,
    NoDecimals(Currency),
    TooManyDecimals(Currency),
    TooLarge(Currency),
    /// A count of minor units beyond any amount (more than 19 digits).
    Overflow,
}

impl MoneyError {
    /// The message, to show beside the amount or currency field.
    pub fn text(&self) -> Text {
        match self {
            Self::UnknownCurrency => Text::new("errors.money.unknown_currency"),
            Self::Empty => Text::new("errors.money.empty"),
            Self::Signed => Text::new("errors.money.signed"),
            Self::NotANumber => Text::new("errors.money.not_a_number"),
            Self::NoDecimals(c) => Text::new("errors.money.no_decimals").arg("currency", c),
            Self::TooManyDecimals(c) => {
                Text::new("errors.money.too_many_decimals").arg("currency", c).arg("decimals", c.exponent())
            }
            Self::TooLarge(c) => Text::new("errors.money.too_large").arg("max", largest(c)),
            Self::Overflow => Text::new("errors.money.overflow"),
        }
    }
}

impl From<MoneyError> for Message {
    fn from(e: MoneyError) -> Self {
        e.text().into()
    }
}

fn largest(currency: &Currency) -> String {
    Money { minor: MAX_MINOR, currency: *currency }.decimal()
}

/// An amount in minor units (cents; yen for JPY) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// A stored price: `minor` units of the stored `currency` code; `None` when
    /// the price is free (0) or the code is not one we accept (codes are
    /// checked when a price is saved, and the list only grows).
    pub fn stored_price(minor: i64, currency: Option<&str>) -> Option<Self> {
        let currency = Currency::parse(currency?).ok()?;
        (minor > 0).then_some(Money { minor, currency })
    }

    /// A price: `minor` within 0 to [`MAX_MINOR`].
    pub fn new(minor: i64, currency: Currency) -> Result<Self, MoneyError> {
        if minor < 0 {
            return Err(MoneyError::Signed);
        }
        if !within_range(minor) {
            return Err(MoneyError::TooLarge(currency));
        }
        Ok(Money { minor, currency })
    }

    /// A price as a person types it, in major units: `19`, `19.9`, `19.99` or
    /// `19,99` (a decimal comma, as much of the world writes it). Refused:
    /// signs, exponents, thousands separators, more decimals than the currency
    /// has, and amounts beyond the price range.
    pub fn parse_major(raw: &str, currency: Currency) -> Result<Self, MoneyError> {
        let too_large = |e| if e == MoneyError::Overflow { MoneyError::TooLarge(currency) } else { e };
        let raw = raw.trim();
        let (whole, fraction) = match raw.split_once(['.', ',']) {
            // Both sides need digits: `19.` and `.5` are typing slips, not amounts.
            Some(("", _) | (_, "")) => return Err(MoneyError::NotANumber),
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (raw, None),
        };
        let whole = digits(whole).map_err(too_large)?;
        let exponent = currency.exponent();
        let fraction = match fraction {
            None => 0,
            Some(f) if f.len() > exponent as usize => {
                // Name the decimals only when the rest is a number (`1,500`); `1.2.3` is simply not one.
                digits(f).map_err(too_large)?;
                return Err(if exponent == 0 {
                    MoneyError::NoDecimals(currency)
                } else {
                    MoneyError::TooManyDecimals(currency)
                });
            }
            Some(f) => digits(f)? * 10_i64.pow(exponent - f.len() as u32),
        };
        let minor = whole
            .checked_mul(10_i64.pow(exponent))
            .and_then(|m| m.checked_add(fraction))
            .ok_or(MoneyError::TooLarge(currency))?;
        Money::new(minor, currency)
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// The amount as plain decimal digits in major units (`19.99`, `1500`):
    /// the value of an input field, read back by [`Money::parse_major`]. For
    /// people, [`Money::format`].
    pub fn decimal(&self) -> String {
        let style = Style { decimal: '.', group: "", symbol_after: false };
        let mut out = String::new();
        push_number(&mut out, self, &style);
        out
    }

    /// The amount for people reading `locale` (a language tag: `en`, `fr-CA`):
    /// `$19.99`, `CHF 12.50`, `¥1,500` in English and by default; `19,99 €`
    /// in French and German. The one formatter: every page and message shows
    /// prices through it.
    pub fn format(&self, locale: &str) -> String {
        let style = Style::of(locale);
        let mut out = String::new();
        if self.minor < 0 {
            out.push('-');
        }
        let sign = self.currency.symbol();
        if style.symbol_after {
            push_number(&mut out, self, &style);
            out.push('\u{A0}'); // no-break space: the sign never wraps away from its number
            out.push_str(sign.unwrap_or(self.currency.as_str()));
        } else {
            match sign {
                Some(symbol) => out.push_str(symbol),
                None => {
                    out.push_str(self.currency.as_str());
                    out.push(' ');
                }
            }
            push_number(&mut out, self, &style);
        }
        out
    }
}

/// A whole number of minor units as an API takes it (`1999`): ASCII digits
/// only, no sign, within `i64`. Not range-checked: a filter bound need not be a price.
pub fn parse_minor(raw: &str) -> Result<i64, MoneyError> {
    digits(raw.trim())
}

/// A non-empty run of ASCII digits, as a non-negative number.
fn digits(raw: &str) -> Result<i64, MoneyError> {
    match raw.as_bytes().first() {
        None => return Err(MoneyError::Empty),
        Some(b'-' | b'+') => return Err(MoneyError::Signed),
        Some(_) => {}
    }
    raw.bytes().try_fold(0_i64, |n, b| {
        if !b.is_ascii_digit() {
            return Err(MoneyError::NotANumber);
        }
        n.checked_mul(10).and_then(|n| n.checked_add(i64::from(b - b'0'))).ok_or(MoneyError::Overflow)
    })
}

/// How a language writes amounts. Languages not listed read the English form,
/// which is also what CLDR gives most of them for a currency with a symbol.
struct Style {
    decimal: char,
    /// Between groups of three digits of the whole part.
    group: &'static str,
    /// `19,99 €` rather than `€19.99`.
    symbol_after: bool,
}

impl Style {
    /// By the language's primary subtag (`fr-CA` is French).
    fn of(locale: &str) -> Self {
        let language = locale.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match language.as_str() {
            // CLDR: a narrow no-break space groups digits in French.
            "fr" => Style { decimal: ',', group: "\u{202F}", symbol_after: true },
            "de" => Style { decimal: ',', group: ".", symbol_after: true },
            _ => Style { decimal: '.', group: ",", symbol_after: false },
        }
    }
}

/// The digits of `money`'s absolute amount in major units, grouped and with the decimal mark of `style`.
fn push_number(out: &mut String, money: &Money, style: &Style) {
    let exponent = money.currency.exponent();
    let amount = money.minor.unsigned_abs();
    let unit = 10_u64.pow(exponent);
    let whole = (amount / unit).to_string();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push_str(style.group);
        }
        out.push(digit);
    }
    if exponent > 0 {
        out.push(style.decimal);
        out.push_str(&format!("{:0width$}", amount % unit, width = exponent as usize));
    }
}

#[cfg(test)]
mod tests {
    use super::{Currency::*, *};

    fn major(raw: &str, currency: Currency) -> Result<i64, MoneyError> {
        Money::parse_major(raw, currency).map(|m| m.minor)
    }

    fn money(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    #[test]
    fn the_list_is_the_accepted_codes_with_their_iso_exponents() {
        assert_eq!(Currency::ALL.len(), 44);
        assert!(Currency::ALL.windows(2).all(|w| w[0].as_str() < w[1].as_str()), "sorted, no duplicates");
        let zero: Vec<&str> = Currency::ALL.iter().filter(|c| c.exponent() == 0).map(|c| c.as_str()).collect();
        assert_eq!(zero, ["CLP", "ISK", "JPY", "KRW", "VND"]);
        assert!(Currency::ALL.iter().all(|c| matches!(c.exponent(), 0 | 2)), "none of ours has 3 decimals");
    }

    #[test]
    fn currencies_parse_in_any_case_and_refuse_the_rest() {
        assert_eq!(Currency::parse("eur"), Ok(EUR));
        assert_eq!(Currency::parse(" Jpy "), Ok(JPY));
        for bad in ["", "XXX", "EURO", "€", "KWD"] {
            assert_eq!(Currency::parse(bad), Err(MoneyError::UnknownCurrency), "{bad}");
        }
        assert!(MoneyError::UnknownCurrency.to_string().contains("such as EUR, USD or GBP"));
        assert_eq!(serde_json::to_string(&CHF).unwrap(), r#""CHF""#);
        assert_eq!(serde_json::from_str::<Currency>(r#""usd""#).unwrap(), USD);
        assert!(serde_json::from_str::<Currency>(r#""XXX""#).is_err());
    }

    #[test]
    fn major_amounts_parse_to_minor_units() {
        assert_eq!(major("19", EUR), Ok(1900));
        assert_eq!(major("19.9", EUR), Ok(1990));
        assert_eq!(major("19.99", EUR), Ok(1999));
        assert_eq!(major("19,99", EUR), Ok(1999));
        assert_eq!(major(" 0.05 ", USD), Ok(5));
        assert_eq!(major("0", USD), Ok(0));
        assert_eq!(major("007", USD), Ok(700));
        assert_eq!(major("1500", JPY), Ok(1500));
        assert_eq!(major("10000000", EUR), Ok(MAX_MINOR), "the largest price");
        assert_eq!(major("1000000000", JPY), Ok(MAX_MINOR));
    }

    #[test]
    fn major_amounts_refuse_what_is_not_a_plain_amount() {
        assert_eq!(major("", EUR), Err(MoneyError::Empty));
        assert_eq!(major("   ", EUR), Err(MoneyError::Empty));
        assert_eq!(major("-1", EUR), Err(MoneyError::Signed));
        assert_eq!(major("+1", EUR), Err(MoneyError::Signed));
        assert_eq!(major("19.999", EUR), Err(MoneyError::TooManyDecimals(EUR)));
        assert_eq!(major("1,500", EUR), Err(MoneyError::TooManyDecimals(EUR)), "a thousands separator");
        assert_eq!(major("19.5", JPY), Err(MoneyError::NoDecimals(JPY)));
        assert_eq!(major("1,500", JPY), Err(MoneyError::NoDecimals(JPY)));
        for bad in ["1e3", "1E3", "19.", ".5", "1.2.3", "1 500", "12€", "0x10", "١٢", "NaN", "inf", "1,5,0"] {
            assert_eq!(major(bad, EUR), Err(MoneyError::NotANumber), "{bad}");
        }
        assert_eq!(major("10000000.01", EUR), Err(MoneyError::TooLarge(EUR)));
        assert_eq!(major("1000000001", JPY), Err(MoneyError::TooLarge(JPY)));
        assert_eq!(major("99999999999999999999999", EUR), Err(MoneyError::TooLarge(EUR)), "beyond i64");
        assert_eq!(major("92233720368547758.08", EUR), Err(MoneyError::TooLarge(EUR)), "beyond i64 once scaled");
    }

    #[test]
    fn refusals_say_what_to_type() {
        assert_eq!(
            MoneyError::TooManyDecimals(EUR).to_string(),
            "EUR amounts have at most 2 decimals, e.g. 19.99 (without thousands separators)."
        );
        assert_eq!(
            MoneyError::NoDecimals(JPY).to_string(),
            "JPY amounts are whole numbers, e.g. 1500 (without thousands separators)."
        );
        assert_eq!(MoneyError::TooLarge(EUR).to_string(), "Use an amount from 0 to 10000000.00.");
        assert_eq!(MoneyError::TooLarge(JPY).to_string(), "Use an amount from 0 to 1000000000.");
    }

    #[test]
    fn the_price_range_is_one_rule() {
        assert!(within_range(0) && within_range(MAX_MINOR));
        assert!(!within_range(-1) && !within_range(MAX_MINOR + 1));
        assert_eq!(Money::new(MAX_MINOR, EUR), Ok(money(MAX_MINOR, EUR)));
        assert_eq!(Money::new(MAX_MINOR + 1, EUR), Err(MoneyError::TooLarge(EUR)));
        assert_eq!(Money::new(-1, EUR), Err(MoneyError::Signed));
        assert!(money(0, EUR).is_zero() && !money(1, EUR).is_zero());
    }

    #[test]
    fn minor_amounts_are_digits_only() {
        assert_eq!(parse_minor("1999"), Ok(1999));
        assert_eq!(parse_minor(" 0 "), Ok(0));
        assert_eq!(parse_minor(""), Err(MoneyError::Empty));
        assert_eq!(parse_minor("-1"), Err(MoneyError::Signed));
        assert_eq!(parse_minor("+1"), Err(MoneyError::Signed));
        assert_eq!(parse_minor("19.99"), Err(MoneyError::NotANumber));
        assert_eq!(parse_minor("1e3"), Err(MoneyError::NotANumber));
        assert_eq!(parse_minor("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(parse_minor("9223372036854775808"), Err(MoneyError::Overflow));
    }

    #[test]
    fn decimals_round_trip_through_the_parser() {
        for (minor, currency, text) in [
            (1999, EUR, "19.99"),
            (5, USD, "0.05"),
            (0, GBP, "0.00"),
            (1500, JPY, "1500"),
            (123456789, CHF, "1234567.89"),
        ] {
            assert_eq!(money(minor, currency).decimal(), text);
            assert_eq!(Money::parse_major(text, currency), Ok(money(minor, currency)));
        }
        for currency in Currency::ALL {
            for minor in [0, 1, 10, 99, 100, 12_345, MAX_MINOR] {
                let m = money(minor, *currency);
                assert_eq!(Money::parse_major(&m.decimal(), *currency), Ok(m));
            }
        }
    }

    #[test]
    fn english_puts_the_symbol_or_the_code_first_and_groups_with_commas() {
        assert_eq!(money(1999, USD).format("en"), "$19.99");
        assert_eq!(money(4900, EUR).format("en"), "€49.00");
        assert_eq!(money(1500, JPY).format("en"), "¥1,500");
        assert_eq!(money(1250, CHF).format("en"), "CHF 12.50");
        assert_eq!(money(5, GBP).format("en"), "£0.05");
        assert_eq!(money(123_456_789, USD).format("en-GB"), "$1,234,567.89");
        assert_eq!(money(100_000, KRW).format("en"), "₩100,000");
        assert_eq!(money(1999, BRL).format("en"), "R$19.99");
        assert_eq!(money(1999, CNY).format("en"), "CNY 19.99", "¥ is the yen");
        assert_eq!(money(-1999, USD).format("en"), "-$19.99");
    }

    #[test]
    fn french_and_german_put_the_sign_after_with_a_no_break_space() {
        assert_eq!(money(1999, EUR).format("fr"), "19,99\u{A0}€");
        assert_eq!(money(1500, JPY).format("fr"), "1\u{202F}500\u{A0}¥");
        assert_eq!(money(123_456_789, CHF).format("fr-CH"), "1\u{202F}234\u{202F}567,89\u{A0}CHF");
        assert_eq!(money(1999, EUR).format("de"), "19,99\u{A0}€");
        assert_eq!(money(123_456_789, EUR).format("de-AT"), "1.234.567,89\u{A0}€");
        assert_eq!(money(-1999, EUR).format("fr"), "-19,99\u{A0}€");
    }

    #[test]
    fn other_and_odd_languages_read_the_english_form() {
        for locale in ["ja", "pt-BR", "", "zz-Latn", "french"] {
            assert_eq!(money(150_000, EUR).format(locale), "€1,500.00", "{locale}");
        }
        assert_eq!(money(150_000, EUR).format("FR_ca"), "1\u{202F}500,00\u{A0}€", "by the primary subtag, any case");
    }

    #[test]
    fn no_amount_is_too_large_to_format() {
        assert_eq!(money(i64::MAX, USD).format("en"), "$92,233,720,368,547,758.07");
        assert_eq!(money(i64::MIN, JPY).format("en"), "-¥9,223,372,036,854,775,808");
    }
}
