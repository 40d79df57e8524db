package io.coedit.document;

/**
 * A checked document id: 1 to 128 characters of {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..}.
 *
 * <p>Checked with a loop over its characters rather than a regular expression: an instance makes one for every op
 * another instance relays to it, and the matcher took 4% of the samples of the instance relaying 10,000 ops/s.
 */
public record DocumentId(String value) {

    private static final int MAX_LENGTH = 128;

    public DocumentId {
        if (!isValid(value)) {
            throw new InvalidDocumentIdException();
        }
    }

    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        // "." and ".." would be path segments to anything that builds a URL or a key path from the id
        return !value.equals(".") && !value.equals("..");
    }

    @Override
    public String toString() {
        return value;
    }

    /** Thrown for an id outside the allowed alphabet or length; the message never echoes the input. */
    public static final class InvalidDocumentIdException extends IllegalArgumentException {
        InvalidDocumentIdException() {
            super("A document id is 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
    }
}
