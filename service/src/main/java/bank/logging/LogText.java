package bank.logging;

/**
 * Makes a value safe to print inside one log line: CR, LF and tab become {@code \r}, {@code \n} and {@code \t};
 * every other control, format, line or paragraph separator character, and any lone surrogate, becomes
 * {@code \}{@code uXXXX}. A value can then neither start a line of its own nor hide what follows it.
 */
public final class LogText {

    private LogText() {
    }

    public static String escape(String value) {
        if (value == null || isClean(value)) {
            return value;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '\r' -> escaped.append("\\r");
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        escaped.append(String.format("\\u%04x", c));
                    } else {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean isClean(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return value.codePoints().noneMatch(LogText::unsafe);
            }
        }
        return true;
    }

    private static boolean unsafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }
}
