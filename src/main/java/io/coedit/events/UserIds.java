package io.coedit.events;

import io.coedit.error.ErrorCode;

/** The {@code userId} of a path: a token's {@code sub}, 1 to 256 characters, no control characters. */
final class UserIds {

    static final int MAX_LENGTH = 256;

    private UserIds() {}

    static String checked(String userId) {
        if (userId == null
                || userId.isEmpty()
                || userId.length() > MAX_LENGTH
                || userId.chars().anyMatch(Character::isISOControl)) {
            throw new EventRejectedException(
                    ErrorCode.INVALID_USER_ID,
                    "A user id is 1 to " + MAX_LENGTH + " characters without control characters");
        }
        return userId;
    }
}
