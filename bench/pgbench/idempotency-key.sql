-- The start of every keyed POST's transaction (IdempotentPosts.once), before the request's work: a new key's
-- advisory lock, taken without waiting, the lookup of a stored response (there is none: every key is new), and
-- the savepoint a refusal would roll back to. The scenario's script continues the transaction with the work,
-- stores the response and commits. The key is a random 63-bit number, which also serves as the lock's id (the
-- service takes 64 bits of a SHA-256 of the key). Its scope, a client's id in the service, is a 36-character id
-- here too.
\set key random(1, 9223372036854775806)
BEGIN;
SELECT pg_try_advisory_xact_lock(:key);
SELECT request_hash, response_status AS status, response_location AS location, response_body AS body FROM idempotency_keys WHERE scope = '00000000-0000-7000-8000-0000000be4c8' AND key = 'pgbench-' || :key::text AND NOT created_at < now() - make_interval(secs => 86400);
SAVEPOINT before_work;
