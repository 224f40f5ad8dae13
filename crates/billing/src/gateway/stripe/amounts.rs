//! Amounts as Stripe counts them. Stripe takes integer amounts in a
//! currency's smallest unit, with its own list of zero-decimal currencies;
//! it mostly agrees with ISO 4217 exponents (Lyceum's [`Money`]) but not
//! always: the Icelandic króna has no minor unit in ISO 4217 and takes two
//! decimals at Stripe (`100` for 1 kr). Every amount crossing to or from
//! Stripe goes through here.

use lyceum_platform::money::{Currency, Money};

/// Stripe's zero-decimal currencies among those Lyceum accepts.
const STRIPE_ZERO_DECIMAL: &[Currency] = &[Currency::CLP, Currency::JPY, Currency::KRW, Currency::VND];

/// Stripe's units per Lyceum minor unit of `currency`.
fn scale(currency: Currency) -> i64 {
    if STRIPE_ZERO_DECIMAL.contains(&currency) { 1 } else { 10_i64.pow(2_u32.saturating_sub(currency.exponent())) }
}

/// `money` in Stripe's units.
pub(super) fn to_stripe(money: Money) -> i64 {
    money.minor * scale(money.currency)
}

/// Stripe's `amount` in `currency` (Stripe writes it in lower case) as Money;
/// `None` for a currency Lyceum does not sell in.
pub(super) fn from_stripe(amount: i64, currency: &str) -> Option<Money> {
    let currency = Currency::parse(currency).ok()?;
    Some(Money { minor: amount / scale(currency), currency })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimal_and_zero_decimal_currencies_are_the_same_number() {
        assert_eq!(to_stripe(Money { minor: 1999, currency: Currency::EUR }), 1999);
        assert_eq!(to_stripe(Money { minor: 1500, currency: Currency::JPY }), 1500);
        assert_eq!(from_stripe(1500, "jpy"), Some(Money { minor: 1500, currency: Currency::JPY }));
    }

    #[test]
    fn the_krona_takes_two_decimals_at_stripe() {
        assert_eq!(to_stripe(Money { minor: 4900, currency: Currency::ISK }), 490_000);
        assert_eq!(from_stripe(490_000, "isk"), Some(Money { minor: 4900, currency: Currency::ISK }));
    }

    #[test]
    fn every_zero_decimal_currency_of_stripe_has_no_minor_unit_here() {
        for c in STRIPE_ZERO_DECIMAL {
            assert_eq!(c.exponent(), 0, "{c}");
        }
        assert_eq!(from_stripe(100, "xyz"), None);
    }
}
