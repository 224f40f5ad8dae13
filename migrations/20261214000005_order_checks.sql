-- Billing: when the reconciliation job last asked the gateway about a pending
-- order. It asks the orders least recently asked first, so orders that stay
-- pending (abandoned checkouts) cannot keep newer ones from being asked.
ALTER TABLE billing_orders ADD COLUMN checked_at BIGINT;
CREATE INDEX billing_orders_checked ON billing_orders (status, checked_at);
