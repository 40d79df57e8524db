package io.coedit.cluster;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The listener container of the relay: every message is noted as an arrival and handed to the relay's thread, in
 * the order Redis delivered it, except those a {@link SortsOnArrival} listener turns away or handles on Redis'
 * connection thread. An instance hears back every op it commits itself; dropping those where they arrive spares the
 * relay's thread a wake-up per op, a few system calls each on this kind of box. A message the listener handles in a
 * few writes that never wait is dispatched where it arrived too, a hand-off less on its way to the sessions, but
 * only when the relay's thread has caught up: it must not overtake a message handed over before it.
 */
final class RelayListenerContainer extends RedisMessageListenerContainer {

    /** A listener that can tell, cheaply and without blocking, what a message will cost it. */
    interface SortsOnArrival extends MessageListener {
        /** Whether it has nothing to do with the message. Runs on Redis' connection thread, for every message. */
        boolean dropsOnArrival(Message message);

        /**
         * Whether it handles the message in a few writes that never wait, so that it may run on Redis' connection
         * thread, which reads every other message and reply on that connection. Asked of messages it keeps.
         */
        boolean handlesOnArrival(Message message);
    }

    private final RelayThread relayThread;

    RelayListenerContainer(RelayThread relayThread) {
        this.relayThread = relayThread;
        // the container's own hand-off runs inline: processMessage below makes the one hand-off there is
        setTaskExecutor(Runnable::run);
    }

    @Override
    protected void processMessage(MessageListener listener, Message message, byte[] pattern) {
        relayThread.arrived();
        if (listener instanceof SortsOnArrival sorter) {
            if (sorter.dropsOnArrival(message)) {
                return;
            }
            if (relayThread.caughtUp() && sorter.handlesOnArrival(message)) {
                super.processMessage(listener, message, pattern);
                return;
            }
        }
        relayThread.execute(() -> super.processMessage(listener, message, pattern));
    }
}
