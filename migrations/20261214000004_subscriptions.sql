-- Subscriptions (crates/billing): all-access plans, the courses they open,
-- each learner's subscription with its billing period and dunning state, the
-- orders that pay its periods, and the enrollments it opened (suspended when
-- it lapses, restored when a payment arrives). Lyceum owns the periods: a
-- renewal is an ordinary order, created by the renewal job at the period's end.

-- A plan: a price per month or per year. Deactivated plans take no new
-- subscribers; existing subscriptions keep renewing at the plan's price.
CREATE TABLE billing_plans (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    billing_interval TEXT NOT NULL CHECK (billing_interval IN ('month', 'year')),
    price_minor    BIGINT NOT NULL CHECK (price_minor > 0),
    currency       TEXT NOT NULL,
    deactivated_at BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- The courses every plan opens ("included in the subscription").
CREATE TABLE billing_included_courses (
    course_id   TEXT PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    included_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    included_at BIGINT NOT NULL
);

-- One subscription per learner, kept across cancellations and lapses (a new
-- subscription reuses the row). `pending` until its first order is paid.
-- The customer and payment method references are the gateway's handles on a
-- saved card (Stripe), used by off-session renewals; NULL for the manual gateway.
CREATE TABLE billing_subscriptions (
    id                   TEXT PRIMARY KEY,
    user_id              TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    plan_id              TEXT NOT NULL REFERENCES billing_plans (id),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'active', 'past_due', 'cancelled', 'lapsed')),
    gateway              TEXT NOT NULL,
    customer_ref         TEXT,
    payment_method_ref   TEXT,
    current_period_start BIGINT,
    current_period_end   BIGINT,
    -- The start of the first paid period of the current run: periods end at
    -- whole months or years after it, so a subscription taken on the 31st
    -- does not drift to the 28th.
    anchor_at            BIGINT,
    -- Set when the learner asked to stop at the period's end (a flag as a timestamp).
    cancel_requested_at  BIGINT,
    -- Dunning: unpaid renewal attempts so far, when the next one is due, and
    -- when access ends if none succeeds (7 days after the period's end).
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    next_retry_at        BIGINT,
    grace_ends_at        BIGINT,
    ended_at             BIGINT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
-- The renewal job's "period ended" and "retry due" scans.
CREATE INDEX billing_subscriptions_due ON billing_subscriptions (status, current_period_end);
CREATE INDEX billing_subscriptions_retry ON billing_subscriptions (status, next_retry_at);

-- The orders that pay a subscription: its start, or the renewal of one
-- period (`period_start`, the end of the period before). At most one renewal
-- order per period, so a renewal job run twice creates one. `applied_at` is
-- set when the payment was applied to the subscription (once).
CREATE TABLE billing_subscription_orders (
    order_id        TEXT PRIMARY KEY REFERENCES billing_orders (id) ON DELETE CASCADE,
    subscription_id TEXT NOT NULL REFERENCES billing_subscriptions (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('start', 'renewal')),
    period_start    BIGINT,
    applied_at      BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX billing_subscription_orders_period ON billing_subscription_orders (subscription_id, period_start);
CREATE INDEX billing_subscription_orders_sub ON billing_subscription_orders (subscription_id, created_at);

-- Enrollments opened through a subscription. `suspended_at` is set when the
-- subscription lapsed or ended and the enrollment was cancelled (its row and
-- the learner's progress stay); cleared when a payment restores it.
CREATE TABLE billing_subscription_enrollments (
    subscription_id TEXT NOT NULL REFERENCES billing_subscriptions (id) ON DELETE CASCADE,
    course_id       TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    enrolled_at     BIGINT NOT NULL,
    suspended_at    BIGINT,
    PRIMARY KEY (subscription_id, course_id)
);
