package io.coedit.ws;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

/** The Tomcat this service ships with can be flushed without blocking, so its sessions batch queued frames. */
class TomcatBatchTest {

    @Test
    void theShippedTomcatHasTheNonBlockingFlush() {
        // fails when a Tomcat upgrade renames what TomcatBatch looks up (the flush, the endpoint, the session state):
        // every frame would be its own write again
        assertThat(TomcatBatch.available()).isTrue();
    }

    @Test
    void aRemoteThatIsNotTomcatsHasNoBatch() {
        assertThat(TomcatBatch.of(Mockito.mock(Session.class), Mockito.mock(RemoteEndpoint.Async.class)))
                .isNull();
    }
}
