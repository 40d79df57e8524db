package io.coedit.ws;

/** What the sinks of both endpoints share: a session's frames queued and written through its {@link Outbox}. */
abstract class OutboxFrameSink implements FrameSink {

    private final Outbox out;

    OutboxFrameSink(Outbox out) {
        this.out = out;
    }

    @Override
    public final void send(TextFrame frame) {
        out.send(frame);
    }

    @Override
    public final void sendSoon(TextFrame frame) {
        out.sendSoon(frame);
    }

    @Override
    public final boolean idle() {
        return out.idle();
    }

    @Override
    public final long lastWrittenNanos() {
        return out.lastWrittenNanos();
    }

    @Override
    public final boolean stalled(long nowNanos, long limitNanos) {
        return out.stalled(nowNanos, limitNanos);
    }

    @Override
    public final void stopAfterQueued(Runnable then) {
        out.closeAfterQueued(then);
    }

    @Override
    public final void stopSending() {
        out.close();
    }
}
