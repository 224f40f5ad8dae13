-- Billing (crates/billing): orders and their lines, every change of an order's
-- state, the webhook inbox, refunds and the audit log of money actions.
-- Amounts are integer minor units of the order's currency (lyceum_platform::money).

-- One order per checkout. `gateway_ref` is the gateway's handle on the payment
-- attempt (a Stripe PaymentIntent, a PayPal order); `payment_ref` the settled
-- payment a refund names (the PaymentIntent again, a PayPal capture).
CREATE TABLE billing_orders (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    status         TEXT NOT NULL CHECK (status IN
                       ('pending', 'paid', 'failed', 'refunded', 'partially_refunded', 'cancelled')),
    currency       TEXT NOT NULL,
    subtotal_minor BIGINT NOT NULL CHECK (subtotal_minor >= 0),
    discount_minor BIGINT NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
    tax_minor      BIGINT NOT NULL DEFAULT 0 CHECK (tax_minor >= 0),
    total_minor    BIGINT NOT NULL CHECK (total_minor >= 0),
    refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= total_minor),
    -- The tax rate applied, in basis points (2000 = 20 %), and who it was for.
    tax_rate_bp    INTEGER NOT NULL DEFAULT 0,
    country        TEXT,
    vat_number     TEXT,
    coupon_id      TEXT,
    gateway        TEXT NOT NULL,
    gateway_ref    TEXT,
    payment_ref    TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    paid_at        BIGINT
);
-- A learner's orders, newest first.
CREATE INDEX billing_orders_user ON billing_orders (user_id, created_at);
-- The reconciliation job's and the dashboard's "pending for a while".
CREATE INDEX billing_orders_status ON billing_orders (status, updated_at);
-- A webhook names the gateway's handle; at most one order per handle.
CREATE UNIQUE INDEX billing_orders_gateway_ref ON billing_orders (gateway, gateway_ref);

-- What an order buys: a course (or, later, a subscription period).
CREATE TABLE billing_order_lines (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES billing_orders (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('course', 'subscription')),
    course_id    TEXT REFERENCES courses (id) ON DELETE SET NULL,
    description  TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0)
);
CREATE INDEX billing_order_lines_order ON billing_order_lines (order_id);
CREATE INDEX billing_order_lines_course ON billing_order_lines (course_id);

-- Every change of an order's state: from, to, what caused it and who.
CREATE TABLE billing_order_history (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES billing_orders (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    source      TEXT NOT NULL,
    actor_id    TEXT,
    detail      TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX billing_order_history_order ON billing_order_history (order_id, at);

-- Gateway events already processed: a redelivery finds its id here and is ignored.
CREATE TABLE billing_webhook_inbox (
    gateway     TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (gateway, event_id)
);

-- Refunds of an order's payment, made here or seen in the gateway.
CREATE TABLE billing_refunds (
    id                TEXT PRIMARY KEY,
    order_id          TEXT NOT NULL REFERENCES billing_orders (id) ON DELETE CASCADE,
    amount_minor      BIGINT NOT NULL CHECK (amount_minor > 0),
    gateway_ref       TEXT,
    reason            TEXT NOT NULL DEFAULT '',
    remove_enrollment INTEGER NOT NULL DEFAULT 0,
    actor_id          TEXT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX billing_refunds_order ON billing_refunds (order_id, created_at);
CREATE UNIQUE INDEX billing_refunds_gateway_ref ON billing_refunds (gateway_ref);

-- Money actions: who did what to which object, with its state before and after (JSON).
CREATE TABLE billing_audit (
    id           TEXT PRIMARY KEY,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    at           BIGINT NOT NULL
);
CREATE INDEX billing_audit_subject ON billing_audit (subject_kind, subject_id, at);
CREATE INDEX billing_audit_at ON billing_audit (at);
