-- Billing (crates/billing): coupons, their redemptions, and tax rates per
-- buyer country. Both are computed by Lyceum, not by a gateway, so they work
-- with every gateway. Amounts are integer minor units (lyceum_platform::money).

-- A coupon: a percentage off, or a fixed amount off in one currency, for
-- every course (`all_courses` = 1) or for those in billing_coupon_courses.
-- `code` is stored upper case (codes are matched ignoring case).
-- `redeemed_count` is the number of rows in billing_coupon_redemptions for
-- the coupon, kept by one conditional UPDATE when an order is placed (never
-- past `max_redemptions` under concurrency) and given back when the order is
-- cancelled. A coupon is never deleted: orders name it; it is deactivated.
CREATE TABLE billing_coupons (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
    percent         INTEGER CHECK (percent IS NULL OR (percent >= 1 AND percent <= 100)),
    amount_minor    BIGINT CHECK (amount_minor IS NULL OR amount_minor > 0),
    currency        TEXT,
    all_courses     INTEGER NOT NULL DEFAULT 1 CHECK (all_courses IN (0, 1)),
    valid_from      BIGINT,
    valid_until     BIGINT,
    max_redemptions INTEGER CHECK (max_redemptions IS NULL OR max_redemptions >= 1),
    redeemed_count  INTEGER NOT NULL DEFAULT 0 CHECK (redeemed_count >= 0),
    max_per_learner INTEGER CHECK (max_per_learner IS NULL OR max_per_learner >= 1),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CHECK ((kind = 'percent' AND percent IS NOT NULL AND amount_minor IS NULL AND currency IS NULL)
        OR (kind = 'fixed' AND percent IS NULL AND amount_minor IS NOT NULL AND currency IS NOT NULL)),
    CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);
-- The administrators' list, newest first.
CREATE INDEX billing_coupons_created ON billing_coupons (created_at, id);

-- The courses a coupon is limited to (when its `all_courses` is 0).
CREATE TABLE billing_coupon_courses (
    coupon_id TEXT NOT NULL REFERENCES billing_coupons (id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (coupon_id, course_id)
);

-- One row per order that uses a coupon (an order uses at most one), kept
-- while the order is pending, failed (the learner may retry), paid or
-- refunded; deleted when the order is cancelled.
CREATE TABLE billing_coupon_redemptions (
    order_id  TEXT PRIMARY KEY REFERENCES billing_orders (id) ON DELETE CASCADE,
    coupon_id TEXT NOT NULL REFERENCES billing_coupons (id),
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at        BIGINT NOT NULL
);
-- The per-learner limit counts a learner's redemptions of a coupon.
CREATE INDEX billing_coupon_redemptions_user ON billing_coupon_redemptions (coupon_id, user_id);

-- The tax rate charged to buyers in a country (ISO 3166-1 alpha-2, upper
-- case), in basis points (2000 = 20 %), added on top of the (discounted)
-- price. A country with no row pays no tax.
CREATE TABLE billing_tax_rates (
    country    TEXT PRIMARY KEY CHECK (length(country) = 2),
    rate_bp    INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    label      TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
