package bank.transfers;

import bank.money.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/** A movement of money between two accounts of the same currency, recorded as a debit and a credit. */
@Schema(name = "Transfer")
public record Transfer(
        UUID id,
        UUID fromAccountId,
        UUID toAccountId,
        Money amount,
        @Schema(type = "string", example = "USD", description = "ISO 4217 code of both accounts") Currency currency,
        @Schema(nullable = true) String description,
        Instant createdAt) {
}
