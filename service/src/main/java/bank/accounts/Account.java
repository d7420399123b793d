package bank.accounts;

import bank.money.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/** A customer's account. Its balance only changes through ledger transactions. */
@Schema(name = "Account")
public record Account(
        UUID id,
        String firstName,
        String lastName,
        @Schema(nullable = true) String address,
        @Schema(type = "string", example = "USD", description = "ISO 4217 code") Currency currency,
        Money balance,
        Instant createdAt) {
}
