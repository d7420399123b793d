-- The statement bank.access.SharedRateLimits runs once per API request (keep the two alike), for one of 1,000
-- clients at random, with the default limit (200 at once, 100 a second). For pgbench, against a database the
-- service has migrated; BENCHMARKS.md (Log) has the command and what it measured.
\set client random(1, 1000)
INSERT INTO rate_limit_buckets AS b (client_id, tokens, refilled_at, granted)
VALUES (('00000000-0000-7000-8000-' || lpad(:client::text, 12, '0'))::uuid, 200 - 1, now(), true)
ON CONFLICT (client_id) DO UPDATE SET (tokens, granted, refilled_at) = (
  SELECT CASE WHEN available >= 1 THEN available - 1 ELSE available END, available >= 1, greatest(b.refilled_at, now())
  FROM (SELECT least(200, b.tokens + 100 * greatest(0, extract(epoch FROM now() - b.refilled_at)::float8)) AS available) refill)
RETURNING tokens, granted;
