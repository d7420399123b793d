package bank.db;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered identifiers (RFC 9562 UUID version 7).
 *
 * <p>Ordering by id is ordering by creation time, so keyset pagination over ids pages through rows in the order
 * they were made, and the primary-key index stays append-mostly. Within one millisecond a counter in the
 * {@code rand_a} bits keeps ids from this process strictly increasing (RFC 9562, section 6.2, method 1).
 */
public final class UuidV7 {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int counter;

    private UuidV7() {
    }

    public static synchronized UUID next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            counter = RANDOM.nextInt(1 << 11); // leaves room to count up within the millisecond
        } else if (++counter >= (1 << 12)) {
            lastMillis++; // counter exhausted: borrow the next millisecond rather than repeat an id
            counter = 0;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | counter;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
