-- The ceiling of a keyed transfer, POST /v1/transfers, between two different random accounts of 1..:pool, after
-- idempotency-key.sql and in its transaction, as TransferService.move and IdempotentPosts.once issue it: both rows
-- locked in id order, the transfer, a debit line and a credit line with their balances, then the key stored with
-- its response, and the commit. One difference: the service computes each new balance in Java from the locked
-- row, which needs no SQL; here each UPDATE computes it and RETURNING hands it to the line.
\set from random(1, :pool)
\set to random(1, :pool - 1)
\set to case when :to >= :from then :to + 1 else :to end
\set amount random(1, 100)
SELECT id, first_name, last_name, address, currency, balance, created_at FROM accounts WHERE id IN (bench.account_id(:from), bench.account_id(:to)) ORDER BY id FOR UPDATE;
INSERT INTO transfers (id, from_account_id, to_account_id, amount, currency, description, created_at) VALUES (bench.uuid_v7(), bench.account_id(:from), bench.account_id(:to), :amount, 'EUR', 'bench transfer', now()) RETURNING id, from_account_id, to_account_id, amount, currency, description, created_at \gset transfer_
UPDATE accounts SET balance = balance - :amount WHERE id = bench.account_id(:from) RETURNING balance \gset from_
INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at) VALUES (bench.uuid_v7(), bench.account_id(:from), 'DEBIT', :amount, :from_balance, 'bench transfer', :transfer_id, now()) RETURNING id, account_id, type, amount, balance_after, description, transfer_id, created_at;
UPDATE accounts SET balance = balance + :amount WHERE id = bench.account_id(:to) RETURNING balance \gset to_
INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at) VALUES (bench.uuid_v7(), bench.account_id(:to), 'CREDIT', :amount, :to_balance, 'bench transfer', :transfer_id, now()) RETURNING id, account_id, type, amount, balance_after, description, transfer_id, created_at;
INSERT INTO idempotency_keys AS k (scope, key, request_hash, response_status, response_location, response_body, created_at) VALUES ('00000000-0000-7000-8000-0000000be4c8', 'pgbench-' || :key::text, '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592', 201, '/v1/transfers/' || :transfer_id::text, '{"id":"019ac4b2-3f1e-7c2a-9d4e-1a2b3c4d5e6f","fromAccountId":"00000000-0000-7000-8000-000000000001","toAccountId":"00000000-0000-7000-8000-000000000002","amount":42,"currency":"EUR","description":"bench transfer","createdAt":"2026-11-28T08:00:00.123456Z"}', now()) ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash,   response_status = excluded.response_status, response_location = excluded.response_location,   response_body = excluded.response_body, created_at = excluded.created_at   WHERE k.created_at < now() - make_interval(secs => 86400);
COMMIT;
