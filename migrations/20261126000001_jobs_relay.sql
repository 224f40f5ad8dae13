-- RabbitMQ relay (used only when amqp.url is set): until when a queued job counts
-- as handed to the broker. NULL or past = the relay publishes it (again); the row
-- stays the source of truth for state, attempts and errors.
ALTER TABLE jobs ADD COLUMN relayed_until BIGINT;
