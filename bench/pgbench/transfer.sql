-- The ceiling of a keyed transfer, POST /v1/transfers with an Idempotency-Key, between two different random
-- accounts of 1..:pool, after the claim (idempotency-claim.sql), as TransferService.move and Idempotency.run
-- issue it: both rows locked in id order, the transfer, a debit line and a credit line with their balances, and
-- the stored response in one transaction. One difference: the service computes each new balance in Java from
-- the locked row, which needs no SQL; here each UPDATE computes it and RETURNING hands it to the line.
\set from random(1, :pool)
\set to random(1, :pool - 1)
\set to case when :to >= :from then :to + 1 else :to end
\set amount random(1, 100)
BEGIN;
SELECT id, first_name, last_name, address, currency, balance, created_at FROM accounts WHERE id IN (bench.account_id(:from), bench.account_id(:to)) ORDER BY id FOR UPDATE;
INSERT INTO transfers (id, from_account_id, to_account_id, amount, currency, description, created_at) VALUES (bench.uuid_v7(), bench.account_id(:from), bench.account_id(:to), :amount, 'EUR', 'bench transfer', now()) RETURNING id, from_account_id, to_account_id, amount, currency, description, created_at \gset transfer_
UPDATE accounts SET balance = balance - :amount WHERE id = bench.account_id(:from) RETURNING balance \gset from_
INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at) VALUES (bench.uuid_v7(), bench.account_id(:from), 'DEBIT', :amount, :from_balance, 'bench transfer', :transfer_id, now()) RETURNING id, account_id, type, amount, balance_after, description, transfer_id, created_at;
UPDATE accounts SET balance = balance + :amount WHERE id = bench.account_id(:to) RETURNING balance \gset to_
INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at) VALUES (bench.uuid_v7(), bench.account_id(:to), 'CREDIT', :amount, :to_balance, 'bench transfer', :transfer_id, now()) RETURNING id, account_id, type, amount, balance_after, description, transfer_id, created_at;
UPDATE idempotency_keys SET state = 'COMPLETED', response_status = 201, response_location = '/v1/transfers/' || :transfer_id::text, response_body = '{"id":"019ac4b2-3f1e-7c2a-9d4e-1a2b3c4d5e6f","fromAccountId":"00000000-0000-7000-8000-000000000001","toAccountId":"00000000-0000-7000-8000-000000000002","amount":42,"currency":"EUR","description":"bench transfer","createdAt":"2026-11-28T08:00:00.123456Z"}' WHERE key = 'pgbench-' || :key::text;
COMMIT;
