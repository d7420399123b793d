/**
 * Transfers between two accounts of the same currency.
 *
 * <p>Owns the {@code transfers} table. A transfer is a debit and a credit of the same amount, written through the
 * ledger in one transaction with the transfer row; both account rows are locked in id order first, so that
 * opposite transfers queue instead of deadlocking (see {@link bank.transfers.TransferService}).
 */
package bank.transfers;
