//! The revenue report: paid orders in a period, added up by day, course or
//! gateway and currency (amounts in different currencies are never summed
//! together). Gross is what was paid, refunded what was given back, net the
//! difference; an order counts on the day it was paid (UTC).

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date, tz::TimeZone};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    db,
    money::{Currency, Money},
};
use serde::{Deserialize, Serialize};

use crate::{BillingError, repo::revenue};

/// The longest period one report covers.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    #[default]
    Day,
    Course,
    Gateway,
}

/// A period of whole UTC days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// The period from the two dates as typed (`2026-12-01`), each defaulting
    /// to "30 days ago" and "today"; 422 for a date that does not read, an
    /// end before the start, or more than a year.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, BillingError> {
        let today = Timestamp::now().to_zoned(TimeZone::UTC).date();
        let date = |field: &'static str, raw: Option<&str>, default: Date| match raw
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            None => Ok(default),
            Some(raw) => raw.parse::<Date>().map_err(|_| BillingError::Invalid {
                field,
                message: format!("\u{201c}{raw}\u{201d} is not a date: write it as 2026-12-31.").into(),
            }),
        };
        let to = date("to", to, today)?;
        let from = date("from", from, to.checked_sub(jiff::Span::new().days(29)).unwrap_or(to))?;
        let days = (to - from).get_days();
        if days < 0 {
            return Err(BillingError::Invalid { field: "to", message: "The end is before the start.".into() });
        }
        if i64::from(days) >= MAX_DAYS {
            return Err(BillingError::Invalid { field: "from", message: "A report covers at most a year.".into() });
        }
        Ok(Period { from, to })
    }

    /// `[start, end)` in epoch milliseconds.
    fn bounds(&self) -> (i64, i64) {
        let ms = |d: Date| d.to_zoned(TimeZone::UTC).map(|z| z.timestamp().as_millisecond()).unwrap_or(0);
        (ms(self.from), ms(self.to.tomorrow().unwrap_or(self.to)))
    }
}

/// One row: a day, course or gateway in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RevenueRow {
    /// The day (`2026-12-07`), the course's title as sold, or the gateway's id.
    pub key: String,
    pub currency: String,
    pub orders: i64,
    pub gross_minor: i64,
    pub refunded_minor: i64,
    pub net_minor: i64,
}

impl RevenueRow {
    pub fn currency(&self) -> Currency {
        Currency::parse(&self.currency).unwrap_or(Currency::USD)
    }
    pub fn gross(&self) -> Money {
        Money { minor: self.gross_minor, currency: self.currency() }
    }
    pub fn refunded(&self) -> Money {
        Money { minor: self.refunded_minor, currency: self.currency() }
    }
    pub fn net(&self) -> Money {
        Money { minor: self.net_minor, currency: self.currency() }
    }
}

/// The report (administrators only), rows in key order.
pub async fn report(
    state: &AppState,
    viewer: &Viewer,
    period: Period,
    by: GroupBy,
) -> Result<Vec<RevenueRow>, BillingError> {
    if !viewer.is_admin() {
        return Err(AppError::forbidden("Only administrators see the revenue report.").into());
    }
    let (from, to) = period.bounds();
    let mut conn = state.db.pool().acquire().await?;
    let lines = revenue::sold_lines(&mut conn, from, to).await?;
    Ok(add_up(lines, by))
}

/// Adds orders up by `by` and currency. An order counts once, under its first line's course.
fn add_up(lines: Vec<revenue::SoldLine>, by: GroupBy) -> Vec<RevenueRow> {
    let mut seen = std::collections::HashSet::new();
    let mut rows: BTreeMap<(String, String), RevenueRow> = BTreeMap::new();
    for line in lines.into_iter().filter(|l| seen.insert(l.order_id.clone())) {
        let key = match by {
            GroupBy::Day => db::rfc3339(line.paid_at).chars().take(10).collect(),
            GroupBy::Course => line.description.clone(),
            GroupBy::Gateway => line.gateway.clone(),
        };
        let row = rows.entry((key.clone(), line.currency.clone())).or_insert_with(|| RevenueRow {
            key,
            currency: line.currency.clone(),
            orders: 0,
            gross_minor: 0,
            refunded_minor: 0,
            net_minor: 0,
        });
        row.orders += 1;
        row.gross_minor += line.total_minor;
        row.refunded_minor += line.refunded_minor;
        row.net_minor = row.gross_minor - row.refunded_minor;
    }
    rows.into_values().collect()
}

/// The report as CSV for a spreadsheet (UTF-8 with a BOM; amounts in major units).
pub fn csv(rows: &[RevenueRow], by: GroupBy) -> String {
    use lyceum_platform::csv::{BOM, cell};
    let head = match by {
        GroupBy::Day => "day",
        GroupBy::Course => "course",
        GroupBy::Gateway => "gateway",
    };
    let mut out = format!("{BOM}{head},currency,orders,gross,refunded,net\r\n");
    for r in rows {
        let major = |minor: i64| major_units(minor, r.currency());
        out.push_str(&format!(
            "{},{},{},{},{},{}\r\n",
            cell(&r.key),
            r.currency,
            r.orders,
            major(r.gross_minor),
            major(r.refunded_minor),
            major(r.net_minor)
        ));
    }
    out
}

/// `1234` cents → `12.34` (a plain number a spreadsheet reads in any locale's CSV import).
fn major_units(minor: i64, currency: Currency) -> String {
    let exp = currency.exponent();
    if exp == 0 {
        return minor.to_string();
    }
    let unit = 10_i64.pow(exp);
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:0width$}", minor.abs() / unit, minor.abs() % unit, width = exp as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(order: &str, day: i64, gateway: &str, total: i64, refunded: i64) -> revenue::SoldLine {
        revenue::SoldLine {
            order_id: order.into(),
            paid_at: day * 86_400_000 + 3_600_000,
            gateway: gateway.into(),
            currency: "EUR".into(),
            total_minor: total,
            refunded_minor: refunded,
            description: "Rust".into(),
        }
    }

    #[test]
    fn orders_add_up_per_key_and_currency_once_each() {
        let lines =
            vec![line("a", 0, "manual", 4900, 0), line("a", 0, "manual", 4900, 0), line("b", 1, "stripe", 1000, 400)];
        let by_day = add_up(lines.clone(), GroupBy::Day);
        assert_eq!(by_day.len(), 2);
        assert_eq!((by_day[0].key.as_str(), by_day[0].orders, by_day[0].net_minor), ("1970-01-01", 1, 4900));
        let by_course = add_up(lines.clone(), GroupBy::Course);
        assert_eq!((by_course[0].orders, by_course[0].gross_minor, by_course[0].net_minor), (2, 5900, 5500));
        let by_gateway = add_up(lines, GroupBy::Gateway);
        assert_eq!(by_gateway.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["manual", "stripe"]);
        let csv = csv(&by_course, GroupBy::Course);
        assert!(csv.contains("Rust,EUR,2,59.00,4.00,55.00"), "{csv}");
    }

    #[test]
    fn periods_read_and_refuse_what_a_person_can_fix() {
        let p = Period::parse(Some("2026-12-01"), Some("2026-12-07")).unwrap();
        let (from, to) = p.bounds();
        assert_eq!(to - from, 7 * 86_400_000, "both ends included");
        assert!(matches!(Period::parse(Some("12/01/2026"), None), Err(BillingError::Invalid { field: "from", .. })));
        assert!(matches!(
            Period::parse(Some("2026-12-08"), Some("2026-12-07")),
            Err(BillingError::Invalid { field: "to", .. })
        ));
        assert!(matches!(Period::parse(Some("2024-01-01"), Some("2026-01-01")), Err(BillingError::Invalid { .. })));
        assert!(Period::parse(None, None).is_ok());
        assert_eq!(major_units(-5, Currency::EUR), "-0.05");
        assert_eq!(major_units(1500, Currency::JPY), "1500");
    }
}
