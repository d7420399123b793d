--liquibase formatted sql

--changeset bank:002-idempotency-keys
-- One row per Idempotency-Key: claimed (IN_FLIGHT) before the request's work starts, COMPLETED with the
-- response in the same transaction as the work's effect. Rows older than the retention period are purged.
CREATE TABLE idempotency_keys (
    key                text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
    request_hash       text        NOT NULL,
    state              text        NOT NULL CHECK (state IN ('IN_FLIGHT', 'COMPLETED')),
    response_status    integer,
    response_location  text,
    response_body      text,
    locked_at          timestamptz NOT NULL,
    created_at         timestamptz NOT NULL,
    CHECK (state = 'IN_FLIGHT' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
