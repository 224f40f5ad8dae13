//! The arithmetic of a quote, in integer minor units: a coupon's discount,
//! then tax on what is left, added on top (prices are tax-exclusive).
//!
//! Both roundings are half-up to the currency's minor unit, computed with
//! integers: `(amount × rate + half) / whole`. Amounts are at most
//! `money::MAX_MINOR` (10⁹) and rates at most 100 % (10⁴ basis points), so
//! no product comes near `i64::MAX`.

use lyceum_platform::money::Money;

use crate::model::{Discount, Quote};

/// Basis points in a whole: 10 000 bp = 100 %.
pub const BP_WHOLE: i64 = 10_000;

/// What `discount` takes off `subtotal` (never more than the subtotal, never
/// negative). A fixed amount in another currency is refused before this is
/// called; here it would take nothing off.
pub fn discount_minor(subtotal: Money, discount: Discount) -> i64 {
    let off = match discount {
        Discount::Percent(p) => half_up(subtotal.minor * i64::from(p.clamp(0, 100)), 100),
        Discount::Fixed(amount) if amount.currency == subtotal.currency => amount.minor,
        Discount::Fixed(_) => 0,
    };
    off.clamp(0, subtotal.minor)
}

/// The tax on `base` at `rate_bp` basis points, rounded half-up.
pub fn tax_minor(base: i64, rate_bp: i32) -> i64 {
    half_up(base.max(0) * i64::from(rate_bp.clamp(0, BP_WHOLE as i32)), BP_WHOLE)
}

/// `numerator / denominator` rounded half-up, for non-negative numerators.
fn half_up(numerator: i64, denominator: i64) -> i64 {
    (numerator + denominator / 2) / denominator
}

/// The quote for `price` with an optional coupon and tax rate:
/// total = subtotal − discount + tax on (subtotal − discount).
pub fn quote(price: Money, discount: Option<Discount>, rate_bp: i32) -> Quote {
    let discount_minor = discount.map(|d| discount_minor(price, d)).unwrap_or(0);
    let taxed = price.minor - discount_minor;
    let tax_minor = tax_minor(taxed, rate_bp);
    Quote {
        currency: price.currency,
        subtotal_minor: price.minor,
        discount_minor,
        tax_rate_bp: rate_bp,
        tax_minor,
        total_minor: taxed + tax_minor,
    }
}

/// A rate as a person types it, in percent (`20`, `5.5`, `7,7`, `19.25`), as
/// basis points: 0 to 100 with at most two decimals; `None` otherwise.
pub fn parse_rate_percent(raw: &str) -> Option<i32> {
    let raw = raw.trim().trim_end_matches('%').trim_end();
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit());
    let (whole, fraction) = match raw.split_once(['.', ',']) {
        Some((w, f)) if digits(f) && f.len() <= 2 => (w, f),
        Some(_) => return None,
        None => (raw, ""),
    };
    if !digits(whole) {
        return None;
    }
    let whole: i32 = whole.parse().ok()?;
    let fraction: i32 = format!("{fraction:0<2}").parse().ok()?;
    let bp = whole * 100 + fraction;
    (0..=BP_WHOLE as i32).contains(&bp).then_some(bp)
}

/// Basis points as a person reads a percentage: `20`, `5.5`, `19.25` (a
/// decimal comma in French).
pub fn format_rate_percent(bp: i32, locale: &str) -> String {
    let (whole, fraction) = (bp / 100, bp % 100);
    let separator = if locale == "en" { "." } else { "," };
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}{separator}{}", f / 10),
        f => format!("{whole}{separator}{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use lyceum_platform::money::Currency;

    use super::*;

    fn eur(minor: i64) -> Money {
        Money { minor, currency: Currency::EUR }
    }

    #[test]
    fn percent_discounts_round_half_up_in_minor_units() {
        assert_eq!(discount_minor(eur(1999), Discount::Percent(10)), 200, "199.9 → 200");
        assert_eq!(discount_minor(eur(1995), Discount::Percent(10)), 200, "199.5 → 200 (half up)");
        assert_eq!(discount_minor(eur(1994), Discount::Percent(10)), 199, "199.4 → 199");
        assert_eq!(discount_minor(eur(1), Discount::Percent(50)), 1, "0.5 → 1");
        assert_eq!(discount_minor(eur(333), Discount::Percent(33)), 110, "109.89 → 110");
        assert_eq!(discount_minor(eur(4900), Discount::Percent(100)), 4900, "all of it");
        let yen = Money { minor: 1501, currency: Currency::JPY };
        assert_eq!(discount_minor(yen, Discount::Percent(15)), 225, "225.15 yen → 225");
    }

    #[test]
    fn fixed_discounts_are_capped_at_the_subtotal_and_need_the_same_currency() {
        assert_eq!(discount_minor(eur(4900), Discount::Fixed(eur(1000))), 1000);
        assert_eq!(discount_minor(eur(500), Discount::Fixed(eur(1000))), 500, "never below zero");
        let dollars = Money { minor: 1000, currency: Currency::USD };
        assert_eq!(discount_minor(eur(4900), Discount::Fixed(dollars)), 0);
    }

    #[test]
    fn tax_is_on_the_discounted_price_and_added_on_top() {
        let q = quote(eur(4900), Some(Discount::Percent(10)), 2000);
        assert_eq!((q.subtotal_minor, q.discount_minor, q.tax_minor, q.total_minor), (4900, 490, 882, 5292));
        assert_eq!(q.tax_rate_bp, 2000);
        let q = quote(eur(1999), None, 550);
        assert_eq!(q.tax_minor, 110, "109.945 → 110");
        assert_eq!(q.total_minor, 2109);
        assert_eq!(tax_minor(1, 4999), 0, "0.4999 → 0");
        assert_eq!(tax_minor(1, 5000), 1, "0.5 → 1");
        let free = quote(eur(4900), Some(Discount::Percent(100)), 2000);
        assert_eq!((free.tax_minor, free.total_minor), (0, 0), "nothing to tax, nothing to pay");
    }

    #[test]
    fn the_largest_amounts_do_not_overflow() {
        let most = eur(lyceum_platform::money::MAX_MINOR);
        let q = quote(most, Some(Discount::Percent(1)), 10_000);
        assert_eq!(q.total_minor, (most.minor - most.minor / 100) * 2);
    }

    #[test]
    fn rates_are_read_and_written_in_percent() {
        assert_eq!(parse_rate_percent("20"), Some(2000));
        assert_eq!(parse_rate_percent("5.5"), Some(550));
        assert_eq!(parse_rate_percent("7,7 %"), Some(770));
        assert_eq!(parse_rate_percent("19.25"), Some(1925));
        assert_eq!(parse_rate_percent("0"), Some(0));
        assert_eq!(parse_rate_percent("100"), Some(10_000));
        for bad in ["", "-1", "100.01", "5.555", "1e2", "abc", "5.", ".5", "1000"] {
            assert_eq!(parse_rate_percent(bad), None, "{bad}");
        }
        assert_eq!(format_rate_percent(2000, "en"), "20");
        assert_eq!(format_rate_percent(550, "en"), "5.5");
        assert_eq!(format_rate_percent(1925, "fr"), "19,25");
        assert_eq!(format_rate_percent(5, "en"), "0.05");
    }
}
