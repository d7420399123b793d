package bank.accounts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.util.Currency;

/**
 * Reads a currency code exactly as written. Jackson's own reader takes {@code ""} (and a blank string) for an absent
 * value, which opened a USD account for {@code "currency": ""}; the document's enum has no such code, so it is refused
 * like any other value outside it. JSON null stays null: the documented way to ask for the default.
 */
final class CurrencyCode extends StdScalarDeserializer<Currency> {

    CurrencyCode() {
        super(Currency.class);
    }

    @Override
    public Currency deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Currency) context.handleUnexpectedToken(Currency.class, parser);
        }
        String code = parser.getText();
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw InvalidFormatException.from(parser, "not an ISO 4217 code", code, Currency.class);
        }
    }
}
