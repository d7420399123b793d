-- The ceiling of a keyed credit, POST /v1/accounts/{id}/transactions, after idempotency-key.sql and in its
-- transaction, as LedgerService.post and IdempotentPosts.once issue it: the row lock, the new balance, the ledger
-- line, then the key stored with its response, and the commit. The service computes the request hash, the ids
-- and the response body in Java; here they are fixed strings of the same size, or made in SQL.
\set n random(1, :accounts)
\set amount random(1, 10000)
SELECT id, first_name, last_name, address, currency, balance, created_at FROM accounts WHERE id = bench.account_id(:n) FOR UPDATE \gset
\set balance :balance + :amount
UPDATE accounts SET balance = :balance WHERE id = bench.account_id(:n);
INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at) VALUES (bench.uuid_v7(), bench.account_id(:n), 'CREDIT', :amount, :balance, 'bench credit', NULL, now()) RETURNING id, account_id, type, amount, balance_after, description, transfer_id, created_at;
INSERT INTO idempotency_keys AS k (scope, key, request_hash, response_status, response_location, response_body, created_at) VALUES ('00000000-0000-7000-8000-0000000be4c8', 'pgbench-' || :key::text, '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592', 201, NULL, '{"id":"019ac4b2-3f1e-7c2a-9d4e-1a2b3c4d5e6f","accountId":"00000000-0000-7000-8000-000000000001","type":"CREDIT","amount":1234,"balanceAfter":6001234,"description":"bench credit","transferId": null,"createdAt":"2026-11-28T08:00:00.123456Z"}', now()) ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash,   response_status = excluded.response_status, response_location = excluded.response_location,   response_body = excluded.response_body, created_at = excluded.created_at   WHERE k.created_at < now() - make_interval(secs => 86400);
COMMIT;
