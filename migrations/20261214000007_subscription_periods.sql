-- The period each subscription payment paid for, set when the payment is
-- applied (with applied_at): the order page, the invoice and the receipt
-- name it ("All access — monthly, 7 December 2026 – 7 January 2027").
ALTER TABLE billing_subscription_orders ADD COLUMN paid_from BIGINT;
ALTER TABLE billing_subscription_orders ADD COLUMN paid_until BIGINT;
