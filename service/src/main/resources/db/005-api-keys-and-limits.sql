--liquibase formatted sql

--changeset bank:005-api-keys
-- A client's keys move to a table of their own, so that a client can hold two at once while it rotates them: the
-- new one, and the old one until its expiry (or revocation). Each key keeps the client's old rules: only its
-- SHA-256 and its first characters are stored. last_used_at is written at most once a minute per key.
CREATE TABLE api_keys (
    key_hash     bytea       PRIMARY KEY CHECK (length(key_hash) = 32),
    client_id    uuid        NOT NULL REFERENCES api_clients (id),
    key_prefix   text        NOT NULL CHECK (length(key_prefix) <= 16),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_keys_client_id ON api_keys (client_id);
INSERT INTO api_keys (key_hash, client_id, key_prefix, created_at, revoked_at)
SELECT key_hash, id, key_prefix, created_at, revoked_at FROM api_clients WHERE key_hash IS NOT NULL;
ALTER TABLE api_clients DROP COLUMN key_hash, DROP COLUMN key_prefix;

-- A client's own rate limit; both NULL: the configured default (access.rateLimit).
ALTER TABLE api_clients
    ADD COLUMN rate_limit_per_second double precision CHECK (rate_limit_per_second > 0),
    ADD COLUMN rate_limit_burst      integer          CHECK (rate_limit_burst >= 1),
    ADD CHECK ((rate_limit_per_second IS NULL) = (rate_limit_burst IS NULL));

-- Each client's token bucket, shared by every instance (bank.access.SharedRateLimits). Unlogged: a bucket is worth
-- nothing after a crash or a failover, where it comes back empty, that is full for every client, which is what a
-- bucket left alone for a while is anyway; in exchange its updates write no WAL.
CREATE UNLOGGED TABLE rate_limit_buckets (
    client_id   uuid             PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL,
    granted     boolean          NOT NULL
);

--changeset bank:005-api-keys-private splitStatements:false
-- As for api_clients (004): key hashes are not for the dashboards' read-only role.
DO $$
DECLARE reader record;
BEGIN
    FOR reader IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                  WHERE table_name IN ('api_keys', 'rate_limit_buckets')
                    AND grantee NOT IN (current_user, 'PUBLIC') LOOP
        EXECUTE format('REVOKE ALL ON api_keys, rate_limit_buckets FROM %I', reader.grantee);
    END LOOP;
END
$$;
