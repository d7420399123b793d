package bank.http;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of a list.
 *
 * @param next    the cursor to pass as {@code after} for the following page, or null on the last page
 * @param hasMore whether a following page exists: {@code next} is not null
 */
public record Page<T>(List<T> items, @Schema(nullable = true) String next,
                      @Schema(description = "true when a following page exists (then `next` is its cursor)") boolean hasMore) {

    /** Builds a page from up to {@code request.fetchSize()} rows. */
    public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, UUID> idOf) {
        if (rows.size() <= request.limit()) {
            return new Page<>(rows, null, false);
        }
        List<T> items = rows.subList(0, request.limit());
        return new Page<>(List.copyOf(items), idOf.apply(items.get(items.size() - 1)).toString(), true);
    }
}
