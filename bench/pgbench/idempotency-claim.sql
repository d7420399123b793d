-- Prepended to the ceiling of every keyed POST (see Scenario in bench/harness/load.py), as Idempotency.run
-- claims the Idempotency-Key in a transaction of its own before the request's work. The key is new every time.
\set key random(1, 9223372036854775806)
BEGIN;
INSERT INTO idempotency_keys AS k (key, request_hash, state, locked_at, created_at) VALUES ('pgbench-' || :key::text, '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592', 'IN_FLIGHT', now(), now()) ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, state = 'IN_FLIGHT',   locked_at = now(), created_at = now(), response_status = NULL, response_location = NULL, response_body = NULL   WHERE k.created_at < now() - make_interval(secs => 86400) RETURNING true;
COMMIT;
