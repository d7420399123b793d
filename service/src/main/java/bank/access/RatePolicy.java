package bank.access;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token bucket's shape: {@code burst} requests at once, refilled continuously at {@code perSecond}. Either a
 * client's own (set with {@code clients create --rate-limit} or {@code clients set-rate-limit}) or the configured
 * default, {@code access.rateLimit}.
 */
public record RatePolicy(double perSecond, int burst) {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)/s");

    public RatePolicy {
        if (!(perSecond >= 0.001) || Double.isInfinite(perSecond) || burst < 1) {
            throw new IllegalArgumentException("a rate limit is at least 0.001 requests per second with a burst of "
                    + "at least 1");
        }
    }

    /**
     * Parses the command line's form: a rate such as {@code 50/s} or {@code 0.5/s}, and a burst, by default what
     * two seconds at that rate bring (at least 1), the proportion of the configured default.
     */
    static RatePolicy parse(String rate, Integer burst) {
        Matcher matcher = RATE.matcher(rate.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("\"" + rate + "\" is not a rate: write it as requests per second, "
                    + "such as 50/s or 0.5/s");
        }
        double perSecond = Double.parseDouble(matcher.group(1));
        return new RatePolicy(perSecond, burst != null ? burst : (int) Math.max(1, Math.ceil(2 * perSecond)));
    }

    /** As people read it, and as {@code parse} takes it back. */
    @Override
    public String toString() {
        String rate = perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond)
                : String.format(Locale.ROOT, "%s", perSecond);
        return rate + "/s, burst " + burst;
    }
}
