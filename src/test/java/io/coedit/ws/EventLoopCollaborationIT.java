package io.coedit.ws;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;

/** {@link CollaborationIT}'s tests with their sessions on the endpoint on the event loop. */
@EventLoopEndpoint
class EventLoopCollaborationIT extends CollaborationIT {

    @Autowired
    private EventLoopServer eventLoop;

    @BeforeEach
    void sessionsOnTheEventLoop() {
        port = eventLoop.port();
    }
}
