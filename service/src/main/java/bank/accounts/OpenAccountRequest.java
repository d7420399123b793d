package bank.accounts;

import bank.http.Text;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.Currency;

@Schema(name = "OpenAccountRequest")
public record OpenAccountRequest(
        @NotNull @Text(max = 100, blank = false) String firstName,
        @NotNull @Text(max = 100, blank = false) String lastName,
        @Text(max = 500) @Schema(nullable = true) String address,
        @Schema(type = "string", example = "EUR", defaultValue = "USD", nullable = true,
                description = "ISO 4217 code; USD when absent or null")
        @JsonDeserialize(using = CurrencyCode.class) Currency currency) {

    static final Currency DEFAULT_CURRENCY = Currency.getInstance("USD");

    Currency currencyOrDefault() {
        return currency == null ? DEFAULT_CURRENCY : currency;
    }
}
