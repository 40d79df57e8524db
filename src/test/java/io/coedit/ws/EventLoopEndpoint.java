package io.coedit.ws;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/** The application under test also serves the document endpoint on the event loop, on a free port of loopback. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
@TestPropertySource(
        properties = {
            "coedit.ws.event-loop.enabled=true",
            "coedit.ws.event-loop.port=0",
            "coedit.ws.event-loop.address=127.0.0.1"
        })
@interface EventLoopEndpoint {}
