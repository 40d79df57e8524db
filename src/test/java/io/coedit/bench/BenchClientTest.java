package io.coedit.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchClientTest {

    @Test
    void presenceFramesAreToldByTheirFirstBytes() {
        assertThat(BenchClient.isPresence(
                        "{\"type\":\"join\",\"clientId\":\"c1\",\"user\":{\"id\":\"a\",\"name\":\"A\"}}"))
                .isTrue();
        assertThat(BenchClient.isPresence("{\"type\":\"leave\",\"clientId\":\"c1\",\"user\":{\"id\":\"a\"}}"))
                .isTrue();
        assertThat(BenchClient.isPresence("{\"type\":\"presence\",\"members\":[]}"))
                .isTrue();
        assertThat(BenchClient.isPresence("{\"type\":\"cursor\",\"clientId\":\"c1\",\"pos\":3}"))
                .isTrue();
    }

    @Test
    void framesAnIdleSessionMustReadAreNotTakenForPresence() {
        assertThat(BenchClient.isPresence("{\"type\":\"op\",\"rev\":4,\"op\":[\"x\"],\"id\":\"w:1\"}"))
                .isFalse();
        assertThat(BenchClient.isPresence("{\"type\":\"ack\",\"rev\":4,\"id\":\"w:1\"}"))
                .isFalse();
        assertThat(BenchClient.isPresence("{\"type\":\"snapshot\",\"rev\":0,\"content\":\"\"}"))
                .isFalse();
        assertThat(BenchClient.isPresence("{\"type\":\"error\",\"code\":\"bad_message\"}"))
                .isFalse();
        // only the server's own order counts: a frame naming its type later is read in full
        assertThat(BenchClient.isPresence("{\"clientId\":\"c1\",\"type\":\"join\"}"))
                .isFalse();
        assertThat(BenchClient.isPresence("{\"type\":\"joined\",\"x\":1}")).isFalse();
        assertThat(BenchClient.isPresence("{\"type\":\"jo")).isFalse();
    }
}
