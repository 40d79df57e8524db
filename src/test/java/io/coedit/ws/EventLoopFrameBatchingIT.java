package io.coedit.ws;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;

/** {@link FrameBatchingIT}'s tests with their sessions on the endpoint on the event loop, whose writes batch too. */
@EventLoopEndpoint
class EventLoopFrameBatchingIT extends FrameBatchingIT {

    @Autowired
    private EventLoopServer eventLoop;

    @BeforeEach
    void sessionsOnTheEventLoop() {
        port = eventLoop.port();
    }
}
