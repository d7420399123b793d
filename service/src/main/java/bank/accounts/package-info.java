/**
 * Accounts: opening, reading and listing them.
 *
 * <p>Owns the {@code accounts} table. An account opens with a zero balance in one currency, which never changes;
 * its balance is changed only by the ledger, under the row lock that {@link bank.accounts.AccountDao#lock} takes
 * (or {@link bank.accounts.AccountDao#lockForTransfer}, for two accounts in id order). Opening an account moves no
 * money, so its Idempotency-Key is optional.
 */
package bank.accounts;
