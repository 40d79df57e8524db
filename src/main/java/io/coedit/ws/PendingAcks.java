package io.coedit.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.coedit.document.CommittedOp;

/**
 * The acks one session is owed: the ops it submitted that were neither acked nor refused. Every ack rule lives
 * here. A committed op reaches its author as an {@code ack}, exactly once and in revision order with the ops of
 * others; a refused op is no longer owed; a resubmitted op that was already committed is acked as soon as the
 * session has been sent its revision.
 */
final class PendingAcks {

    private final Set<String> owed = ConcurrentHashMap.newKeySet();

    /** The session submitted this op. */
    void submitted(String opId) {
        owed.add(opId);
    }

    /** The op was refused with an error: no ack will follow. */
    void refused(String opId) {
        owed.remove(opId);
    }

    /**
     * The frame that carries {@code op} to this session: its ack when the session submitted it (same id and same
     * author, as ids are the clients' own and visible to all), the frame every other session gets otherwise.
     */
    TextFrame frameFor(CommittedOp op, String userId, Supplier<TextFrame> sharedOpFrame, ServerMessages messages) {
        boolean own = op.author().id().equals(userId) && owed.remove(op.clientOpId());
        return own ? TextFrame.of(messages.ack(op.rev(), op.clientOpId())) : sharedOpFrame.get();
    }

    /**
     * A resubmission of an op committed before at {@code rev}: its ack when the session was already sent that
     * revision (the op itself will not come again), or null, and the ack goes out when the op is delivered.
     */
    String ackForDuplicate(long rev, String opId, long sentRev, ServerMessages messages) {
        return rev <= sentRev && owed.remove(opId) ? messages.ack(rev, opId) : null;
    }
}
