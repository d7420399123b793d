package bank.ledger;

import bank.http.Text;
import bank.money.Money;
import bank.money.PositiveMoney;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(name = "PostTransactionRequest")
public record PostTransactionRequest(
        @NotNull TransactionType type,
        @NotNull @PositiveMoney @Schema(minimum = "1") Money amount,
        @Text(max = 280) @Schema(nullable = true) String description) {
}
