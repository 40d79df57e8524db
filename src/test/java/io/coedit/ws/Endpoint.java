package io.coedit.ws;

/** Where a test's sessions open: the web server's port, or the endpoint on the event loop ({@link EventLoopServer}). */
enum Endpoint {
    WEB_SERVER,
    EVENT_LOOP;

    int port(int webServerPort, EventLoopServer eventLoop) {
        return this == WEB_SERVER ? webServerPort : eventLoop.port();
    }
}
