package bank.http;

import java.util.Optional;
import java.util.UUID;

/**
 * Keyset pagination parameters, parsed from the query string by hand so that a bad value is a 422 with the
 * parameter's name rather than Jersey's default 404.
 *
 * @param after the id of the last item of the previous page, as returned in {@code next}
 */
public record PageRequest(int limit, Optional<UUID> after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /**
     * Both parameters are read exactly as the OpenAPI document describes them: {@code limit} is digits only (no
     * sign, space or decimal point), and an {@code after} that is present, even empty, must be a cursor.
     */
    public static PageRequest parse(String limit, String after) {
        int parsedLimit = DEFAULT_LIMIT;
        if (limit != null) {
            if (!limit.matches("[0-9]{1,9}")) {
                throw ApiException.invalid("limit", "must be an integer between 1 and " + MAX_LIMIT);
            }
            parsedLimit = Integer.parseInt(limit);
            if (parsedLimit < 1 || parsedLimit > MAX_LIMIT) {
                throw ApiException.invalid("limit", "must be an integer between 1 and " + MAX_LIMIT);
            }
        }
        Optional<UUID> cursor = Optional.empty();
        if (after != null) {
            cursor = Optional.of(Ids.parse(after).orElseThrow(
                    () -> ApiException.invalid("after", "must be the next cursor of a previous page")));
        }
        return new PageRequest(parsedLimit, cursor);
    }

    /** The DAO asks for one row more than the page holds, to know whether a next page exists. */
    public int fetchSize() {
        return limit + 1;
    }
}
