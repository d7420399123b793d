-- Seeds a benchmark database after the service's own migrations have created its tables.
--
-- psql variables (bench/run passes them with -v):
--   accounts      number of accounts
--   active        accounts 1..active are the "active" ones: the transfer pool and the accounts whose history
--                 the history scenario reads
--   active_lines  ledger lines of each active account (more than a page of 50)
--   lines         ledger lines in all; the rest is spread evenly over the other accounts
--
-- Account n (1-based) has the id 00000000-0000-7000-8000-<n in 12 hex digits>, a valid UUIDv7 older than any
-- id the service makes. bench/wrk/bank.lua and bench/pgbench/*.sql build the same ids from n, so neither has
-- to read a list of ids. Every account holds EUR (transfers need one currency) and a balance made of credits
-- of 1,000.00, each with its ledger line, so balances and histories agree.
--
-- Ledger line i goes to account ((i - 1) mod k) + 1 of its group, so an account's lines are spread across the
-- table as they would be after months of traffic, and line ids grow with i, like the service's UUIDv7 ids.
\set ON_ERROR_STOP on

CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO PUBLIC;

CREATE FUNCTION bench.account_id(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid;

-- The id of seeded ledger line i: a UUIDv7 whose timestamp is 2024-01-01 plus i milliseconds.
CREATE FUNCTION bench.line_id(i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (overlay(lpad(to_hex(1704067200000 + i), 12, '0') PLACING '-' FROM 9 FOR 0)
        || '-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid;

-- A UUIDv7 made now, for rows the pgbench ceiling inserts (the service makes them in Java, bank.db.UuidV7).
CREATE FUNCTION bench.uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE
RETURN encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                      PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                                      FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid;

CREATE FUNCTION bench.lines_of(n bigint, accounts bigint, active bigint, active_lines bigint, lines bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN n <= active THEN active_lines
            ELSE (lines - active * active_lines) / (accounts - active)
                 + CASE WHEN n - active - 1 < (lines - active * active_lines) % (accounts - active) THEN 1 ELSE 0 END
       END;

SELECT :lines - :active * :active_lines >= 0 AND :accounts > :active AS valid \gset
\if :valid
\else
  \warn 'seed.sql: need accounts > active and lines >= active * active_lines'
  SELECT 1 / 0;
\endif

BEGIN;
-- Foreign keys are checked by triggers; every reference below is to a row made here, so skip them.
SET LOCAL session_replication_role = replica;
SET LOCAL synchronous_commit = off;
SET LOCAL maintenance_work_mem = '512MB';

-- Secondary indexes are built once after the load instead of row by row; their definitions are read from the
-- catalogue, so whatever the migrations declare is what gets rebuilt.
CREATE TEMP TABLE saved_indexes ON COMMIT DROP AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
WHERE i.indrelid IN ('accounts'::regclass, 'transactions'::regclass)
  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid);
SELECT format('DROP INDEX %s', name) FROM saved_indexes \gexec

-- Accounts belong to an API client. The seeded ones belong to a client without a key, as the accounts of the
-- legacy client do; the benchmark's requests reach them with the bootstrap key, which has the admin scope.
INSERT INTO api_clients (id, name, scopes, created_at)
VALUES ('00000000-0000-7000-8000-0000000be4c8', 'bench seed', '', timestamptz '2024-01-01 00:00:00+00');

INSERT INTO accounts (id, client_id, first_name, last_name, address, currency, balance, created_at)
SELECT bench.account_id(n), '00000000-0000-7000-8000-0000000be4c8', 'Bench', 'Account ' || n, NULL, 'EUR',
       100000 * bench.lines_of(n, :accounts, :active, :active_lines, :lines),
       timestamptz '2024-01-01 00:00:00+00'
FROM generate_series(1, :accounts) AS n;

INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at)
SELECT bench.line_id(i), bench.account_id(a.n), 'CREDIT', 100000, 100000 * a.j, 'opening credit', NULL,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 millisecond'
FROM generate_series(1, :lines) AS i,
     LATERAL (SELECT CASE WHEN i <= :active * :active_lines THEN (i - 1) % :active + 1
                          ELSE :active + (i - :active * :active_lines - 1) % (:accounts - :active) + 1 END AS n,
                     CASE WHEN i <= :active * :active_lines THEN (i - 1) / :active + 1
                          ELSE (i - :active * :active_lines - 1) / (:accounts - :active) + 1 END AS j) AS a;

SELECT definition FROM saved_indexes \gexec
COMMIT;

VACUUM (ANALYZE) api_clients, accounts, transactions, transfers, idempotency_keys;
CHECKPOINT;
