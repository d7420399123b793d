package bank.access;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * API keys: how they are made, what a well-formed one looks like, and the only form in which one is kept.
 *
 * <p>A key is {@value #PREFIX} followed by 256 random bits from {@link SecureRandom} in base62 (43 characters):
 * unguessable, and recognisable, so that secret scanners find one that leaked into a repository or a log. The
 * service stores only its SHA-256: a fast hash is enough for 256 random bits, which no dictionary contains, and it
 * lets a key be found with one indexed lookup. An operator's bootstrap key need not follow the format, only be long
 * enough (see {@link BootstrapKey}).
 */
public final class ApiKeys {

    public static final String PREFIX = "bank_sk_";
    static final int RANDOM_BYTES = 32;
    static final int ENCODED_LENGTH = 43;
    /** How much of a key may be shown: the prefix and 4 random characters, 24 of its 256 bits. */
    static final int SHOWN_LENGTH = PREFIX.length() + 4;
    /** Longer than any key the service makes or accepts; anything longer is malformed, not worth hashing. */
    static final int MAX_LENGTH = 256;

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 6750's b64token (RFC 9110 token68): the characters a Bearer credential may have. */
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private ApiKeys() {
    }

    /** A new random key. Shown once to whoever created its client, and never stored. */
    public static String generate() {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        StringBuilder encoded = new StringBuilder();
        BigInteger value = new BigInteger(1, random);
        BigInteger base = BigInteger.valueOf(BASE62.length());
        for (int i = 0; i < ENCODED_LENGTH; i++) {
            BigInteger[] quotientAndDigit = value.divideAndRemainder(base);
            encoded.append(BASE62.charAt(quotientAndDigit[1].intValue()));
            value = quotientAndDigit[0];
        }
        return PREFIX + encoded.reverse();
    }

    /** Whether the value can be a key at all: what a Bearer credential may contain, and not absurdly long. */
    public static boolean isWellFormed(String key) {
        return key != null && key.length() <= MAX_LENGTH && TOKEN68.matcher(key).matches();
    }

    /** The SHA-256 of the key's characters: what is stored, and what is looked up. */
    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The part of a key that may be shown to tell keys apart. For a generated key, its prefix and 4 random
     * characters; an operator's own key shows only its first 4 characters, since its length and alphabet are
     * unknown.
     */
    public static String shownPart(String key) {
        return key.startsWith(PREFIX) ? key.substring(0, SHOWN_LENGTH) : key.substring(0, 4);
    }
}
