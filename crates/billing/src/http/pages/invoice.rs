//! `/orders/{id}/invoice` (printable HTML) and `/orders/{id}/invoice.pdf`:
//! the order's invoice, for its learner and the administrators.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use lyceum_platform::{
    AppError, AppResult, AppState,
    web::{Page, Reply, guard::SignedIn},
};

use crate::{
    model::OrderLine,
    service::{
        invoice_pdf::{self, InvoiceText},
        invoices::{self, Invoice},
    },
};

#[derive(Template)]
#[template(path = "billing/invoice.html")]
struct InvoicePage {
    page: Page,
    invoice: Invoice,
}

impl InvoicePage {
    fn tax_percent(&self) -> String {
        percent(self.invoice.order.tax_rate_bp)
    }
    fn line_text(&self, line: &OrderLine) -> String {
        super::line_text(&self.page, line, self.invoice.period.as_ref())
    }
}

/// Basis points as a percentage a person reads: 2000 → "20", 550 → "5.5".
fn percent(bp: i32) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => whole.to_string(),
        rest if rest % 10 == 0 => format!("{whole}.{}", rest / 10),
        rest => format!("{whole}.{rest:02}"),
    }
}

pub async fn html(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let invoice = invoices::get(&state, &s.viewer, &id).await?;
    Reply::OK.render(&InvoicePage { page: s.page, invoice })
}

pub async fn pdf(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let invoice = invoices::get(&state, &s.viewer, &id).await?;
    let text = text_of(&s.page, &invoice);
    // Laying out and subsetting the font is CPU work: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || invoice_pdf::render(&text))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let disposition = format!("attachment; filename=\"{}.pdf\"", invoice.label());
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(AppError::internal)?),
    ];
    Ok((headers, bytes).into_response())
}

/// The invoice's words in the reader's language.
fn text_of(page: &Page, inv: &Invoice) -> InvoiceText {
    let o = &inv.order;
    let s = &inv.seller;
    let mut seller = vec![s.name.clone()];
    seller.extend(s.address.lines().map(str::to_string));
    if !s.vat_number.is_empty() {
        seller.push(format!("{} {}", page.t("billing.invoice.vat"), s.vat_number));
    }
    seller.extend([s.email.clone()].into_iter().filter(|e| !e.is_empty()));
    let b = &inv.buyer;
    let mut buyer = vec![b.name.clone(), b.email.clone()];
    buyer.extend(b.country.clone());
    buyer.extend(b.vat_number.as_ref().map(|v| format!("{} {v}", page.t("billing.invoice.vat"))));
    let money = |minor: i64| page.money(o.money(minor));
    let mut totals = vec![(page.t("billing.order.subtotal"), money(o.subtotal_minor))];
    if o.discount_minor > 0 {
        totals.push((page.t("billing.order.discount"), format!("−{}", money(o.discount_minor))));
    }
    totals.push((format!("{} ({} %)", page.t("billing.order.tax"), percent(o.tax_rate_bp)), money(o.tax_minor)));
    totals.push((page.t("billing.order.total"), money(o.total_minor)));
    let mut notes = vec![format!("{} {}", page.t("billing.order.gateway"), page.t_in("billing.gateways", &o.gateway))];
    if o.refunded_minor > 0 {
        notes.push(format!("{} {}", page.t("billing.order.refunded"), money(o.refunded_minor)));
    }
    InvoiceText {
        title: format!("{} {}", page.t("billing.invoice.title"), inv.label()),
        issued: format!(
            "{} {} · {} {}",
            page.t("billing.invoice.issued"),
            page.date(&inv.issued_at),
            page.t("billing.order.number"),
            o.number()
        ),
        seller,
        buyer_heading: page.t("billing.invoice.bill_to"),
        buyer,
        lines: inv
            .lines
            .iter()
            .map(|l| (super::line_text(page, l, inv.period.as_ref()), money(l.amount_minor)))
            .collect(),
        totals,
        notes,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn basis_points_read_as_percentages() {
        assert_eq!(super::percent(2000), "20");
        assert_eq!(super::percent(550), "5.5");
        assert_eq!(super::percent(725), "7.25");
        assert_eq!(super::percent(0), "0");
    }
}
