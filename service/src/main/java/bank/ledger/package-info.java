/**
 * The ledger: credits and debits, and an account's history.
 *
 * <p>Owns the {@code transactions} table, whose rows are only ever inserted. Every change of a balance is written
 * in the same transaction as the ledger line that explains it, so a balance always equals its credits minus its
 * debits. A balance never goes below zero nor past the largest {@link bank.money.Money}; a movement that would is
 * refused with 422 and writes nothing. {@link bank.ledger.LedgerAudit} checks in the background that this, and the
 * pairing of every transfer's lines, still hold.
 */
package bank.ledger;
