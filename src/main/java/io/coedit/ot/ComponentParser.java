package io.coedit.ot;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import io.coedit.ot.InvalidOperationException.Reason;

/**
 * Turns the untrusted JSON form (as a JSON library hands it over) into an operation, rejecting anything ot.js's
 * lenient {@code fromJSON} would let through but that could not have come from a well-behaved client.
 */
final class ComponentParser {

    private ComponentParser() {}

    static TextOperation parse(List<?> items) {
        if (items == null) {
            throw new InvalidOperationException(Reason.WRONG_COMPONENT_TYPE, "An operation must be a list, got null");
        }
        OperationBuilder builder = TextOperation.builder();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String text) {
                if (text.isEmpty()) {
                    throw zeroLength(i, "\"\"");
                }
                builder.insert(text);
            } else {
                int count = toInt(item, i);
                if (count > 0) {
                    builder.retain(count);
                } else {
                    builder.delete(-count);
                }
            }
        }
        return builder.build();
    }

    /** JSON numbers arrive as any Number subtype; JS cannot tell 3 from 3.0, so integral doubles are fine too. */
    private static int toInt(Object item, int index) {
        if (!(item instanceof Number number)) {
            throw wrongType(index, item);
        }
        if (number instanceof Long || number instanceof Integer) {
            // what a parser hands over for nearly every component: no decimal needed
            return toInt(number.longValue(), item, index);
        }
        BigDecimal value = toBigDecimal(number);
        if (value == null || value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw wrongType(index, item);
        }
        if (value.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw tooLong(index, item);
        }
        return toInt(value.longValueExact(), item, index);
    }

    private static int toInt(long value, Object item, int index) {
        if (value == 0) {
            throw zeroLength(index, "0");
        }
        // -MAX_VALUE..MAX_VALUE, so that negating a delete count never overflows
        if (value > Integer.MAX_VALUE || value < -Integer.MAX_VALUE) {
            throw tooLong(index, item);
        }
        return (int) value;
    }

    private static InvalidOperationException tooLong(int index, Object item) {
        return new InvalidOperationException(
                Reason.LENGTH_OUT_OF_RANGE,
                "Component " + index + " (" + item + ") is longer than " + Integer.MAX_VALUE + " characters");
    }

    private static BigDecimal toBigDecimal(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(number.longValue());
        }
        if (number instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof Double || number instanceof Float) {
            double value = number.doubleValue();
            return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
        }
        return null; // AtomicInteger and friends never come out of a JSON parser
    }

    private static InvalidOperationException wrongType(int index, Object item) {
        String shown = item == null
                ? "null"
                : item instanceof Boolean || item instanceof Number ? item + " (" + kindOf(item) + ")" : kindOf(item);
        return new InvalidOperationException(
                Reason.WRONG_COMPONENT_TYPE,
                "Component " + index + " is " + shown
                        + "; expected a positive integer (retain), a negative integer (delete)"
                        + " or a non-empty string (insert)");
    }

    /** What a client sent, in the words of JSON rather than of the classes a parser made of it. */
    private static String kindOf(Object item) {
        if (item instanceof Boolean) {
            return "a boolean";
        }
        if (item instanceof Number) {
            return "a number that is not a whole one";
        }
        if (item instanceof Iterable<?>) {
            return "an array";
        }
        if (item instanceof Map<?, ?>) {
            return "an object";
        }
        return "neither a number nor a string";
    }

    private static InvalidOperationException zeroLength(int index, String shown) {
        return new InvalidOperationException(
                Reason.ZERO_LENGTH_COMPONENT,
                "Component " + index + " is " + shown + "; zero-length components are not allowed");
    }
}
