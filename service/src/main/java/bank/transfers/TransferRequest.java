package bank.transfers;

import bank.http.Text;
import bank.money.Money;
import bank.money.PositiveMoney;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

@Schema(name = "TransferRequest")
public record TransferRequest(
        @NotNull UUID fromAccountId,
        @NotNull UUID toAccountId,
        @NotNull @PositiveMoney @Schema(minimum = "1") Money amount,
        @Text(max = 280) @Schema(nullable = true) String description) {
}
