package io.coedit.ws;

/**
 * Lets a non-blocking send that the socket took at once finish on the thread that started it.
 *
 * <p>Tomcat finishes every non-blocking send with a task it hands to its executor, even when the socket took the
 * whole frame within the call. With one document's op going to fifty sessions, that was fifty hand-offs per op: a
 * profile of the hot document showed a quarter of the instance's CPU in the completion threads, most of it parking
 * and waking, and more in the sending thread's wake-ups. An outbox opens a window around its own send; a completion
 * handed over on that thread within the window runs there, at once. The outbox expects it (a send that completes
 * within the call) and only takes note, so nothing recurses and nothing runs under Tomcat's call but that note.
 *
 * <p>Outside a window, on the thread that found the socket writable again, or for a completion that arrives while
 * one already runs here (a long message written part by part), the task goes to the executor as before.
 */
final class InlineCompletions {

    private static final ThreadLocal<InlineCompletions> OF_THREAD = ThreadLocal.withInitial(InlineCompletions::new);

    private boolean open;
    private boolean running;

    private InlineCompletions() {}

    /**
     * Opens this thread's window, if not already open. Returns whether it did, to pass to {@link #close}: a window
     * opened further up the stack stays open.
     */
    static boolean open() {
        InlineCompletions state = OF_THREAD.get();
        if (state.open) {
            return false;
        }
        state.open = true;
        return true;
    }

    /** Closes the window that {@link #open} opened, when it returned true. */
    static void close(boolean opened) {
        if (opened) {
            OF_THREAD.get().open = false;
        }
    }

    /** Runs {@code completion} here when this thread's window is open and none already runs; false otherwise. */
    static boolean ranHere(Runnable completion) {
        InlineCompletions state = OF_THREAD.get();
        if (!state.open || state.running) {
            return false;
        }
        state.running = true;
        try {
            completion.run();
        } finally {
            state.running = false;
        }
        return true;
    }
}
