package io.coedit.cluster;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The listener container of the relay: every message is noted as an arrival and handed to the relay's thread, in
 * the order Redis delivered it, except those a {@link DropsOnArrival} listener turns away on Redis' connection
 * thread. An instance hears back every op it commits itself; dropping those where they arrive spares the relay's
 * thread a wake-up per op, a few system calls each on this kind of box.
 */
final class RelayListenerContainer extends RedisMessageListenerContainer {

    /** A listener that can tell, cheaply and without blocking, that it has nothing to do with a message. */
    interface DropsOnArrival extends MessageListener {
        /** Runs on Redis' connection thread, for each message before it is handed to the relay's thread. */
        boolean dropsOnArrival(Message message);
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
        if (listener instanceof DropsOnArrival filter && filter.dropsOnArrival(message)) {
            return;
        }
        relayThread.execute(() -> super.processMessage(listener, message, pattern));
    }
}
