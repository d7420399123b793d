package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void idsAreVersion7AndStrictlyIncreasing() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            ids.add(UuidV7.next());
        }

        for (int i = 1; i < ids.size(); i++) {
            // PostgreSQL compares uuids as unsigned bytes, which is the order of their string form.
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
        assertThat(ids).allMatch(id -> id.version() == 7 && id.variant() == 2);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void theTimestampIsTheCreationTime() {
        long before = System.currentTimeMillis();
        UUID id = UuidV7.next();
        long after = System.currentTimeMillis();

        long millis = id.getMostSignificantBits() >>> 16;
        // A burst within one millisecond may borrow a later one; never an earlier one.
        assertThat(millis).isBetween(before, after + 1000);
    }
}
