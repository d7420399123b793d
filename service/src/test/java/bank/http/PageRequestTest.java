package bank.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code limit} and {@code after} query parameters of every list, read exactly as the OpenAPI document states. */
class PageRequestTest {

    private static final UUID CURSOR = UUID.fromString("01900000-0000-7000-8000-00000000002a");

    @Test
    void withoutParametersAPageHoldsTheDefaultNumberOfItemsFromTheStart() {
        PageRequest page = PageRequest.parse(null, null);

        assertThat(page.limit()).isEqualTo(50).isEqualTo(PageRequest.DEFAULT_LIMIT);
        assertThat(page.after()).isEmpty();
        assertThat(page.fetchSize()).isEqualTo(51);
    }

    @Test
    void theLimitsBoundsAreAccepted() {
        assertThat(PageRequest.parse("1", null).limit()).isEqualTo(1);
        assertThat(PageRequest.parse("200", null).limit()).isEqualTo(200).isEqualTo(PageRequest.MAX_LIMIT);
        assertThat(PageRequest.parse("000000200", null).limit()).isEqualTo(200);
        assertThat(PageRequest.parse("200", null).fetchSize()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "201", "999999999", "0000000001", "2147483648", "-1", "+5", " 5", "5 ", "5.0", "1e2",
            "0x10", "", "five", "\u0665"})
    void aLimitOutsideOneToTwoHundredOrNotPlainDigitsIsRefusedNamingTheParameter(String limit) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> PageRequest.parse(limit, null));

        assertThat(refused).as("limit=%s", limit).isNotNull();
        assertInvalid(refused, "limit", "must be an integer between 1 and 200");
    }

    @Test
    void aCursorFromAPreviousPageIsReadBack() {
        PageRequest page = PageRequest.parse("10", CURSOR.toString());

        assertThat(page).isEqualTo(new PageRequest(10, Optional.of(CURSOR)));
        assertThat(PageRequest.parse(null, CURSOR.toString().toUpperCase()).after()).contains(CURSOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "42", "01900000-0000-7000-8000-00000000002", "01900000-0000-7000-8000-00000000002a0",
            "1-1-1-1-1", "01900000+0000-7000-8000-00000000002a", "0190000g-0000-7000-8000-00000000002a",
            "{01900000-0000-7000-8000-00000000002a}"})
    void aCursorThatIsNotAnIdIsRefusedNamingTheParameter(String after) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> PageRequest.parse(null, after));

        assertThat(refused).as("after=%s", after).isNotNull();
        assertInvalid(refused, "after", "must be the next cursor of a previous page");
    }

    @Test
    void aBadLimitIsReportedBeforeABadCursor() {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> PageRequest.parse("0", "x"));

        assertInvalid(refused, "limit", "must be an integer between 1 and 200");
    }

    @Test
    void aPageWithMoreRowsThanItsLimitEndsWithACursorToTheLastItemShown() {
        List<UUID> rows = List.of(id(1), id(2), id(3));

        Page<UUID> full = Page.of(rows, PageRequest.parse("2", null), row -> row);
        Page<UUID> last = Page.of(rows, PageRequest.parse("3", null), row -> row);

        assertThat(full.items()).containsExactly(id(1), id(2));
        assertThat(full.next()).isEqualTo(id(2).toString());
        assertThat(last.items()).containsExactly(id(1), id(2), id(3));
        assertThat(last.next()).isNull();
        assertThat(Page.of(List.<UUID>of(), PageRequest.parse(null, null), row -> row).next()).isNull();
    }

    private static void assertInvalid(ApiException refused, String field, String message) {
        Problem problem = refused.problem();
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION_FAILED.uri());
        assertThat(problem.errors()).containsExactly(new Problem.FieldError(field, message));
    }

    private static UUID id(int n) {
        return new UUID(0x0190000000007000L, 0x8000000000000000L | n);
    }
}
