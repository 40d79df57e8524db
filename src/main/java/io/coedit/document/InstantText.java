package io.coedit.document;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the timestamps of log entries, which {@link Instant#toString} wrote ({@code 2026-12-03T06:05:10.552713838Z}).
 * {@link Instant#parse} goes through a general formatter that builds a map of fields and a {@code BigDecimal} for the
 * fraction: a receiving instance decodes one of these per relayed op, and that was a seventh of what it allocated.
 * Any other shape (a year beyond 9999, an offset) is left to {@link Instant#parse}, as are malformed ones, so the
 * result and the errors are the same.
 */
final class InstantText {

    /** {@code yyyy-MM-ddTHH:mm:ss} */
    private static final int SECONDS_END = 19;

    private InstantText() {}

    static Instant parse(String text) {
        int length = text.length();
        if (length < SECONDS_END + 1
                || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = fraction(text, length - 1);
        if ((year | month | day | hour | minute | second | nanos) < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour > 23
                || minute > 59
                || second > 59) {
            return Instant.parse(text);
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Instant.parse(text);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code [from, to)}, or -1 if any of it is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Nanoseconds of the fraction between the seconds and {@code end} (none: 0), or -1 if it is not 1-9 digits. */
    private static int fraction(String text, int end) {
        if (end == SECONDS_END) {
            return 0;
        }
        int count = end - SECONDS_END - 1;
        if (text.charAt(SECONDS_END) != '.' || count < 1 || count > 9) {
            return -1;
        }
        int value = digits(text, SECONDS_END + 1, end);
        if (value < 0) {
            return -1;
        }
        for (int i = count; i < 9; i++) {
            value *= 10;
        }
        return value;
    }
}
