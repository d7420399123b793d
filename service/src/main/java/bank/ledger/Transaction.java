package bank.ledger;

import bank.money.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/**
 * One line of an account's ledger. Rows are only ever inserted, so an account's balance always equals its
 * credits minus its debits, and {@code balanceAfter} records the running balance.
 *
 * @param transferId the transfer this line belongs to, or null for a direct credit or debit
 */
@Schema(name = "Transaction")
public record Transaction(
        UUID id,
        UUID accountId,
        TransactionType type,
        Money amount,
        @Schema(type = "string", example = "EUR", description = "ISO 4217 code: the account's currency") Currency currency,
        Money balanceAfter,
        @Schema(nullable = true) String description,
        @Schema(nullable = true) UUID transferId,
        Instant createdAt) {
}
