--liquibase formatted sql

--changeset bank:004-api-clients
-- The API's clients. A client authenticates with a secret key of which only the SHA-256 is stored: the key
-- itself is shown once, when the client is created, and never again. key_prefix (the first characters of the
-- key, which say nothing that would help guess the rest) lets an operator tell keys apart. scopes is the
-- OAuth-style space-separated list of what the key may do. A revoked client keeps its row, so that what it
-- did stays attributable, and its key stops working.
CREATE TABLE api_clients (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_hash    bytea       UNIQUE CHECK (length(key_hash) = 32),
    key_prefix  text        CHECK (length(key_prefix) <= 16),
    scopes      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CHECK ((key_hash IS NULL) = (key_prefix IS NULL))
);

-- Every account belongs to the client that opened it. Accounts opened before clients existed go to a client
-- named "legacy", which has no key (nobody can authenticate as it) and no scopes: only a client with the
-- administrator scope reaches them. It is created only where there are such accounts.
INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes, created_at)
SELECT '00000000-0000-7000-8000-000000000000', 'legacy', NULL, NULL, '', now()
WHERE EXISTS (SELECT 1 FROM accounts);
-- A constant default fills the existing rows without rewriting the table; it is dropped at once, so that every
-- new account names its owner.
ALTER TABLE accounts ADD COLUMN client_id uuid NOT NULL DEFAULT '00000000-0000-7000-8000-000000000000'
    REFERENCES api_clients (id);
ALTER TABLE accounts ALTER COLUMN client_id DROP DEFAULT;
-- Serves a client's list of its accounts, oldest first, by keyset on id.
CREATE INDEX accounts_client_id_id ON accounts (client_id, id);

--changeset bank:004-api-clients-private splitStatements:false
-- Dashboards read the ledger through a read-only role to which default privileges grant every new table; the
-- clients' names and key hashes are not for them. Whatever role was granted this table on creation loses it.
DO $$
DECLARE reader record;
BEGIN
    FOR reader IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                  WHERE table_name = 'api_clients' AND grantee NOT IN (current_user, 'PUBLIC') LOOP
        EXECUTE format('REVOKE ALL ON api_clients FROM %I', reader.grantee);
    END LOOP;
END
$$;
