--liquibase formatted sql

--changeset bank:003-idempotency-keys-one-transaction
-- A keyed POST now holds its key with a transaction-scoped advisory lock, and writes the key's row once, with
-- its response, in the transaction of its effect: every row holds a response. IN_FLIGHT claims, left behind
-- by requests that never finished, no longer mean anything; deleting them frees their keys for the retry.
-- A key belongs to a scope (whose key it is: the empty scope until API clients exist) and is unique within it;
-- the primary key stays the last guard against a second response for the same key.
DELETE FROM idempotency_keys WHERE state = 'IN_FLIGHT';
ALTER TABLE idempotency_keys
    DROP CONSTRAINT idempotency_keys_pkey,
    DROP COLUMN state,
    DROP COLUMN locked_at,
    ADD COLUMN scope text NOT NULL DEFAULT '',
    ALTER COLUMN response_status SET NOT NULL,
    ALTER COLUMN response_body SET NOT NULL,
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key);
-- The default only filled in the existing rows; every new row names its scope.
ALTER TABLE idempotency_keys ALTER COLUMN scope DROP DEFAULT;
