package io.coedit.document;

import java.util.Objects;

/**
 * What makes a resubmission idempotent: the client op id together with its author (the token's {@code sub}). Ids
 * are chosen by clients and visible to everyone in presence, so an id alone would let one user's op stand for
 * another's; scoped to the author, an id can only match that same user's earlier op.
 */
public record ClientOpKey(String authorId, String clientOpId) {

    public ClientOpKey {
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(clientOpId, "clientOpId");
    }

    public static ClientOpKey of(CommittedOp op) {
        return new ClientOpKey(op.author().id(), op.clientOpId());
    }

    /** One string for stores to index by; the length prefix keeps every (author, id) pair distinct. */
    public String value() {
        return authorId.length() + ":" + authorId + ":" + clientOpId;
    }
}
