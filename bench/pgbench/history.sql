-- The ceiling of GET /v1/accounts/{id}/transactions?limit=50: AccountService.get (the account must exist), then
-- TransactionDao.pageBefore with one row more than the page (PageRequest.fetchSize), each in autocommit.
\set n random(1, :active)
SELECT id, first_name, last_name, address, currency, balance, created_at FROM accounts WHERE id = bench.account_id(:n);
SELECT id, account_id, type, amount, balance_after, description, transfer_id, created_at FROM transactions WHERE account_id = bench.account_id(:n) AND id < 'ffffffff-ffff-ffff-ffff-ffffffffffff' ORDER BY id DESC LIMIT 51;
