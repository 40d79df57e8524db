package io.coedit.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerFrameTest {

    @Test
    void anOpFrameGivesItsRevisionIdAndComponentsWhateverFollows() {
        ServerFrame frame = ServerFrame.parse("{\"type\":\"op\",\"rev\":43,\"op\":[5,\"x\",-2,3],\"id\":\"tab1:7\","
                + "\"user\":{\"id\":\"alice\",\"name\":\"Alice\",\"tags\":[1,{\"op\":\"no\"}]}}");
        assertThat(frame.type()).isEqualTo("op");
        assertThat(frame.revision()).isEqualTo(43);
        assertThat(frame.id()).isEqualTo("tab1:7");
        assertThat(frame.op()).containsExactly(5, "x", -2, 3);
    }

    @Test
    void aSnapshotGivesItsContentAndSkipsItsMembers() {
        ServerFrame frame = ServerFrame.parse("{\"type\":\"snapshot\",\"docId\":\"d\",\"rev\":0,\"members\":"
                + "[{\"clientId\":\"c\",\"pos\":3,\"sel\":[3,7]}],\"content\":\"h\\u00e9 \\ud83d\\ude00\"}");
        assertThat(frame.revision()).isZero();
        assertThat(frame.content()).isEqualTo("hé 😀");
        assertThat(frame.op()).isNull();
    }

    @Test
    void aFrameThatMustCarryARevisionAndDoesNotIsAnError() {
        ServerFrame ack = ServerFrame.parse("{\"type\":\"ack\",\"id\":\"w:1\"}");
        assertThatThrownBy(ack::revision).hasMessageContaining("ack frame without its rev");
        assertThatThrownBy(() -> ServerFrame.parse("{\"type\":\"op\",\"rev\":1,\"op\":[true]}"))
                .hasMessageContaining("op component");
        assertThatThrownBy(() -> ServerFrame.parse("[1]")).hasMessageContaining("not a JSON object");
        ServerFrame error = ServerFrame.parse("{\"type\":\"error\",\"code\":\"x\",\"extra\":[[]]}");
        assertThat(error.type()).isEqualTo("error");
        assertThat(error.op()).isNull();
    }

    @Test
    void anErrorGivesItsCodeAndTheIdOfTheOpItAnswers() {
        ServerFrame error = ServerFrame.parse("{\"type\":\"error\",\"code\":\"resync_required\","
                + "\"message\":\"Revision 0 is older than the retained history\",\"id\":\"w:3\"}");
        assertThat(error.code()).isEqualTo("resync_required");
        assertThat(error.id()).isEqualTo("w:3");
    }
}
