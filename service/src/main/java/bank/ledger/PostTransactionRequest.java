package bank.ledger;

import bank.money.Money;
import bank.money.PositiveMoney;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(name = "PostTransactionRequest")
public record PostTransactionRequest(
        @NotNull TransactionType type,
        @NotNull @PositiveMoney @Schema(minimum = "1") Money amount,
        @Size(max = 280) @Schema(nullable = true) String description) {
}
