//! What the test server remembers: its credentials and tokens, the orders,
//! captures and refunds it made, the answers it gave to each
//! `PayPal-Request-Id`, and the webhook deliveries it sent.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use serde_json::Value;

/// How the server behaves where a test may want it faster or different.
#[derive(Debug, Clone)]
pub struct Options {
    /// The wait before the first retry of a failed webhook delivery; each
    /// further retry waits twice as long (PayPal spreads its retries over days).
    pub retry_base: Duration,
    /// Deliveries of one event, first one included, before the server gives up.
    pub max_attempts: u32,
    /// `expires_in` of the access tokens it issues, in seconds.
    pub token_ttl_secs: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self { retry_base: Duration::from_millis(50), max_attempts: 6, token_ttl_secs: 32_400 }
    }
}

/// The state behind every handler; the lock is never held across an await.
#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<Sim>>);

impl Shared {
    pub(crate) fn new(sim: Sim) -> Self {
        Self(Arc::new(Mutex::new(sim)))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Sim> {
        // A panicking handler leaves the data as consistent as it was; keep serving.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub(crate) struct Sim {
    /// `http://127.0.0.1:PORT`, known once the listener is bound.
    pub base: String,
    pub options: Options,
    pub client_id: String,
    pub client_secret: String,
    pub webhook_id: String,
    pub tokens: HashSet<String>,
    pub token_requests: u64,
    pub orders: HashMap<String, Order>,
    pub captures: HashMap<String, Capture>,
    /// The answer given to a `PayPal-Request-Id` ("{operation}:{id}"), replayed on a repeat.
    pub replies: HashMap<String, (u16, Value)>,
    /// What the next capture of an order does (default: completes).
    pub outcomes: HashMap<String, CaptureOutcome>,
    /// The URL the webhook is delivered to, once a test registered one.
    pub listener: Option<String>,
    /// While set, events are recorded but never delivered (a lost webhook).
    pub dropping: bool,
    pub deliveries: Vec<Delivery>,
    /// The client webhook deliveries are sent with.
    pub http: reqwest::Client,
    serial: u64,
}

impl Sim {
    pub(crate) fn new(options: Options) -> Self {
        Self {
            base: String::new(),
            options,
            client_id: "lyceum-sim-client".into(),
            client_secret: "lyceum-sim-secret".into(),
            webhook_id: "WH4SIM0000000000001".into(),
            tokens: HashSet::new(),
            token_requests: 0,
            orders: HashMap::new(),
            captures: HashMap::new(),
            replies: HashMap::new(),
            outcomes: HashMap::new(),
            listener: None,
            dropping: false,
            deliveries: Vec::new(),
            http: reqwest::Client::new(),
            serial: 0,
        }
    }

    /// A fresh PayPal-looking id: `prefix` and upper-case letters and digits.
    pub(crate) fn new_id(&mut self, prefix: &str, len: usize) -> String {
        self.serial += 1;
        let random = uuid::Uuid::new_v4().simple().to_string().to_ascii_uppercase();
        let serial = format!("{:04}", self.serial);
        let body: String = random.chars().take(len.saturating_sub(serial.len())).collect();
        format!("{prefix}{body}{serial}")
    }

    pub(crate) fn capture_of_custom_id(&self, custom_id: &str) -> Option<&Capture> {
        let order = self.orders.values().find(|o| o.custom_id.as_deref() == Some(custom_id))?;
        self.captures.get(order.capture_id.as_deref()?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Created,
    PayerActionRequired,
    Approved,
    Completed,
    Voided,
}

impl OrderStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Created => "CREATED",
            Self::PayerActionRequired => "PAYER_ACTION_REQUIRED",
            Self::Approved => "APPROVED",
            Self::Completed => "COMPLETED",
            Self::Voided => "VOIDED",
        }
    }

    pub(crate) fn awaits_payer(self) -> bool {
        matches!(self, Self::Created | Self::PayerActionRequired)
    }
}

pub(crate) struct Order {
    pub id: String,
    pub state: OrderStatus,
    pub amount: Amount,
    pub custom_id: Option<String>,
    pub invoice_id: Option<String>,
    pub description: Option<String>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    /// Created with `payment_source.paypal.experience_context` (answers
    /// PAYER_ACTION_REQUIRED and a `payer-action` link) rather than the older
    /// `application_context` (CREATED and an `approve` link), as PayPal does.
    pub payer_action: bool,
    /// Set when the payer approves.
    pub payer_id: Option<String>,
    /// The address the merchant suggested (`payment_source.paypal.email_address`).
    pub payer_email: Option<String>,
    pub capture_id: Option<String>,
    pub created: String,
}

/// What a test makes the next capture of an order do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureOutcome {
    /// The money is taken: capture COMPLETED.
    Completed,
    /// The funding source was refused: capture DECLINED, event PAYMENT.CAPTURE.DENIED.
    Declined,
    /// Held for review: capture PENDING until [`crate::PaypalSim::complete_capture`].
    Pending,
    /// The capture call itself is refused: 422 INSTRUMENT_DECLINED, the order stays APPROVED.
    InstrumentDeclined,
}

impl CaptureOutcome {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.to_ascii_uppercase().as_str() {
            "COMPLETED" => Some(Self::Completed),
            "DECLINED" | "DENIED" => Some(Self::Declined),
            "PENDING" => Some(Self::Pending),
            "INSTRUMENT_DECLINED" => Some(Self::InstrumentDeclined),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaptureStatus {
    Completed,
    Declined,
    Pending,
    PartiallyRefunded,
    Refunded,
}

impl CaptureStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "COMPLETED",
            Self::Declined => "DECLINED",
            Self::Pending => "PENDING",
            Self::PartiallyRefunded => "PARTIALLY_REFUNDED",
            Self::Refunded => "REFUNDED",
        }
    }
}

pub(crate) struct Capture {
    pub id: String,
    pub order_id: String,
    pub state: CaptureStatus,
    pub amount: Amount,
    pub custom_id: Option<String>,
    pub invoice_id: Option<String>,
    pub refunds: Vec<Refund>,
    pub created: String,
}

impl Capture {
    pub(crate) fn refunded(&self) -> Amount {
        let hundredths = self.refunds.iter().map(|r| r.amount.hundredths).sum();
        Amount { currency: self.amount.currency.clone(), hundredths }
    }
}

pub(crate) struct Refund {
    pub id: String,
    pub amount: Amount,
    /// The capture's refunded total once this refund was made.
    pub total_after: Amount,
    pub note: Option<String>,
    pub created: String,
}

/// An amount as PayPal writes it (`{"currency_code": "USD", "value": "19.99"}`),
/// kept in hundredths of the major unit so it compares and adds exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Amount {
    pub currency: String,
    pub hundredths: i64,
}

/// Currencies PayPal takes in whole units only.
const NO_DECIMALS: &[&str] = &["HUF", "JPY", "TWD"];

impl Amount {
    /// Reads PayPal's `amount` object; the error is PayPal's issue name.
    pub(crate) fn parse(value: &Value) -> Result<Self, &'static str> {
        let currency = value["currency_code"].as_str().ok_or("MISSING_REQUIRED_PARAMETER")?;
        let raw = value["value"].as_str().ok_or("MISSING_REQUIRED_PARAMETER")?;
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err("INVALID_CURRENCY_CODE");
        }
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        if whole.is_empty() || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
            return Err("INVALID_PARAMETER_SYNTAX");
        }
        if raw.contains('.') && NO_DECIMALS.contains(&currency) {
            return Err("DECIMALS_NOT_SUPPORTED");
        }
        if fraction.len() > 2 || whole.len() > 15 {
            return Err("DECIMAL_PRECISION");
        }
        let whole: i64 = whole.parse().map_err(|_| "INVALID_PARAMETER_SYNTAX")?;
        let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| "INVALID_PARAMETER_SYNTAX")?;
        Ok(Self { currency: currency.to_string(), hundredths: whole * 100 + fraction })
    }

    pub(crate) fn value(&self) -> String {
        if NO_DECIMALS.contains(&self.currency.as_str()) {
            format!("{}", self.hundredths / 100)
        } else {
            format!("{}.{:02}", self.hundredths / 100, self.hundredths % 100)
        }
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::json!({"currency_code": self.currency, "value": self.value()})
    }
}

/// One event and its deliveries to the listener.
pub(crate) struct Delivery {
    pub event_id: String,
    pub event_type: String,
    /// The event as sent (the body's JSON), for the signature check.
    pub event: Value,
    pub body: Vec<u8>,
    pub transmission_id: String,
    pub transmission_time: String,
    pub transmission_sig: String,
    pub cert_url: String,
    pub attempts: Vec<Attempt>,
    pub fate: Fate,
}

/// One POST of an event to the listener: its status (none: no answer) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub status: Option<u16>,
    pub body: String,
}

/// Where an event's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Being delivered (or waiting for its next retry).
    Sending,
    /// The listener answered 2xx.
    Delivered,
    /// Every attempt failed.
    GaveUp,
    /// Dropped on purpose (a lost webhook), never sent.
    Dropped,
    /// No listener was registered when the event happened.
    NoListener,
}

pub(crate) const AUTH_ALGO: &str = "SHA256withRSA";

/// Now, as PayPal writes times (RFC 3339, UTC, whole seconds).
pub(crate) fn now() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_read_and_write_like_paypal() {
        let a = Amount::parse(&json!({"currency_code": "USD", "value": "19.9"})).unwrap();
        assert_eq!((a.hundredths, a.value()), (1990, "19.90".to_string()));
        let yen = Amount::parse(&json!({"currency_code": "JPY", "value": "1500"})).unwrap();
        assert_eq!((yen.hundredths, yen.value()), (150_000, "1500".to_string()));
        let refused = |v: &str, c: &str| Amount::parse(&json!({"currency_code": c, "value": v})).unwrap_err();
        assert_eq!(refused("15.5", "JPY"), "DECIMALS_NOT_SUPPORTED");
        assert_eq!(refused("1.999", "EUR"), "DECIMAL_PRECISION");
        assert_eq!(refused("-1", "EUR"), "INVALID_PARAMETER_SYNTAX");
        assert_eq!(refused("1e3", "EUR"), "INVALID_PARAMETER_SYNTAX");
        assert_eq!(refused("1", "eur"), "INVALID_CURRENCY_CODE");
    }
}
