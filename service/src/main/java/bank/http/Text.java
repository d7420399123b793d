package bank.http;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * A text field of a request: Unicode text with no control characters, at most {@link #max()} characters
 * (code points, as the database and JSON Schema count them, not UTF-16 units), and, unless {@link #blank()}, at
 * least one character that is not whitespace. Whitespace is the set JavaScript's {@code \s} matches, so the
 * pattern in the OpenAPI document ({@link Rules#pattern(boolean)}) means the same to every client and to this check,
 * and {@link Rules#strip(String)} removes the same characters. A null value is left to {@code @NotNull}.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Text.Validator.class)
public @interface Text {

    /** Control characters: C0, DEL and C1. */
    String CONTROL = "\\u0000-\\u001f\\u007f-\\u009f";
    /** JavaScript's (and JSON Schema's) {@code \s}, written out so that Java and Python read it the same way. */
    String WHITESPACE = "\\u0009-\\u000d\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

    int max();

    /** Whether a value made only of whitespace (or empty) is allowed. */
    boolean blank() default true;

    String message() default "must be text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The rules behind the check, for the OpenAPI document and for normalising a valid value. */
    final class Rules {

        private static final Pattern STRIP = Pattern.compile("^[" + WHITESPACE + "]+|[" + WHITESPACE + "]+$");

        private Rules() {
        }

        /** The ECMA-262 regular expression a valid value matches, for the OpenAPI document. */
        public static String pattern(boolean blankAllowed) {
            return blankAllowed ? "^[^" + CONTROL + "]*$"
                    : "^[^" + CONTROL + "]*[^" + CONTROL + WHITESPACE + "][^" + CONTROL + "]*$";
        }

        /** Removes leading and trailing whitespace, as {@link #WHITESPACE} defines it. */
        public static String strip(String value) {
            return STRIP.matcher(value).replaceAll("");
        }
    }

    final class Validator implements ConstraintValidator<Text, String> {

        private int max;
        private Pattern valid;

        @Override
        public void initialize(Text text) {
            max = text.max();
            valid = Pattern.compile(Rules.pattern(text.blank()));
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String reason = reason(value);
            if (reason == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(reason).addConstraintViolation();
            return false;
        }

        private String reason(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return "must be valid Unicode text (a lone surrogate is not)";
                }
            }
            if (value.codePoints().anyMatch(Character::isISOControl)) {
                return "must not contain control characters";
            }
            if (value.codePointCount(0, value.length()) > max) {
                return "must be at most " + max + " characters long";
            }
            return valid.matcher(value).matches() ? null : "must not be blank";
        }
    }
}
