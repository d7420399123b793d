-- The ceiling of GET /v1/accounts/{id}: AccountDao.find, one statement in autocommit.
\set n random(1, :accounts)
SELECT id, first_name, last_name, address, currency, balance, created_at FROM accounts WHERE id = bench.account_id(:n);
