package io.coedit.ws;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HandshakeIT}'s tests against the endpoint on the event loop: the same answers to every upgrade. */
@EventLoopEndpoint
class EventLoopHandshakeIT extends HandshakeIT {

    @Autowired
    private EventLoopServer eventLoop;

    @Autowired
    private SessionRegistry registry;

    @BeforeEach
    void sessionsOnTheEventLoop() {
        port = eventLoop.port();
    }

    /** What read the handshake (the HTTP codec, the aggregator, the checks) is gone from the connection once open. */
    @Override
    @Test
    void anOpenSessionKeepsNeitherTheTokenNorTheHandshakeHeaders() {
        String token = Tokens.user("slim").sign();
        for (boolean subprotocol : new boolean[] {true, false}) {
            String doc = "slim-loop-" + subprotocol;
            try (WsClient client = subprotocol
                    ? WsClient.connectWithSubprotocol(port, doc, token)
                    : WsClient.connect(port, doc, token)) {
                client.await("snapshot");
                CollabSession session = registry.all().stream()
                        .filter(s -> s.documentId().value().equals(doc))
                        .findFirst()
                        .orElseThrow();
                ChannelPipeline pipeline =
                        ((EventLoopFrameSink) session.frames()).channel().pipeline();
                assertThat(pipeline.get(HttpServerCodec.class)).isNull();
                assertThat(pipeline.get(HttpObjectAggregator.class)).isNull();
                assertThat(pipeline.get(EventLoopHandshake.class)).isNull();
                assertThat(pipeline.get(EventLoopSession.class)).isNotNull();
                assertThat(session.user().id()).isEqualTo("slim");
            }
        }
    }
}
