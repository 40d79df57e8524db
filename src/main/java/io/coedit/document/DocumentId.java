package io.coedit.document;

import java.util.regex.Pattern;

/** A checked document id: 1 to 128 characters of {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..}. */
public record DocumentId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public DocumentId {
        if (!isValid(value)) {
            throw new InvalidDocumentIdException();
        }
    }

    public static boolean isValid(String value) {
        // "." and ".." would be path segments to anything that builds a URL or a key path from the id
        return value != null && VALID.matcher(value).matches() && !value.equals(".") && !value.equals("..");
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
