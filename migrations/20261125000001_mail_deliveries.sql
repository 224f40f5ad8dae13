-- mail_deliveries: which job-sent e-mails went out, so a job delivered twice
-- (at-least-once) sends its e-mail once. The key names the job's delivery,
-- e.g. `accounts.verification_mail:<event id>`; it never holds a secret.
CREATE TABLE mail_deliveries (
    delivery_key TEXT PRIMARY KEY,
    sent_at      BIGINT NOT NULL
);
