package io.coedit.ws;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;

/** {@link QueryTokenIT}'s tests with their sessions on the endpoint on the event loop. */
@EventLoopEndpoint
class EventLoopQueryTokenIT extends QueryTokenIT {

    @Autowired
    private EventLoopServer eventLoop;

    @BeforeEach
    void sessionsOnTheEventLoop() {
        port = eventLoop.port();
    }
}
