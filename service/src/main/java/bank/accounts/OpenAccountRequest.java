package bank.accounts;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Currency;

@Schema(name = "OpenAccountRequest")
public record OpenAccountRequest(
        @NotBlank @Size(max = 100) String firstName,
        @NotBlank @Size(max = 100) String lastName,
        @Size(max = 500) @Schema(nullable = true) String address,
        @Schema(type = "string", example = "EUR", defaultValue = "USD", description = "ISO 4217 code; USD when absent")
        Currency currency) {

    static final Currency DEFAULT_CURRENCY = Currency.getInstance("USD");

    Currency currencyOrDefault() {
        return currency == null ? DEFAULT_CURRENCY : currency;
    }
}
