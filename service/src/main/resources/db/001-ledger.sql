--liquibase formatted sql

--changeset bank:001-accounts
-- The CHECK on balance is the last line of defence: the service never writes a negative balance, and if it
-- ever tried, the database would refuse the whole transaction.
CREATE TABLE accounts (
    id          uuid PRIMARY KEY,
    first_name  text        NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name   text        NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    address     text        CHECK (length(address) <= 500),
    currency    char(3)     NOT NULL,
    balance     bigint      NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

--changeset bank:001-transfers
CREATE TABLE transfers (
    id               uuid PRIMARY KEY,
    from_account_id  uuid        NOT NULL REFERENCES accounts (id),
    to_account_id    uuid        NOT NULL REFERENCES accounts (id),
    amount           bigint      NOT NULL CHECK (amount > 0),
    currency         char(3)     NOT NULL,
    description      text        CHECK (length(description) <= 280),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (from_account_id <> to_account_id)
);

--changeset bank:001-transactions
CREATE TABLE transactions (
    id             uuid PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    type           text        NOT NULL CHECK (type IN ('CREDIT', 'DEBIT')),
    amount         bigint      NOT NULL CHECK (amount > 0),
    balance_after  bigint      NOT NULL CHECK (balance_after >= 0),
    description    text        CHECK (length(description) <= 280),
    transfer_id    uuid        REFERENCES transfers (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
-- Serves an account's history, newest first, by keyset on id.
CREATE INDEX transactions_account_id_id ON transactions (account_id, id DESC);
CREATE INDEX transactions_transfer_id ON transactions (transfer_id) WHERE transfer_id IS NOT NULL;
CREATE INDEX transfers_from_account_id ON transfers (from_account_id);
CREATE INDEX transfers_to_account_id ON transfers (to_account_id);
