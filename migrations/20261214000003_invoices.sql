-- Invoices (crates/billing): one per paid order, numbered without gaps per
-- site. The number is taken from `billing_counters` in the same transaction
-- that makes the order paid, so a rolled-back payment takes no number.
-- Seller and buyer are copied at issue: an invoice never changes afterwards.
CREATE TABLE billing_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO billing_counters (name, value) VALUES ('invoice', 0);

CREATE TABLE billing_invoices (
    number      BIGINT PRIMARY KEY,
    order_id    TEXT NOT NULL UNIQUE REFERENCES billing_orders (id),
    issued_at   BIGINT NOT NULL,
    seller_json TEXT NOT NULL,
    buyer_json  TEXT NOT NULL
);
