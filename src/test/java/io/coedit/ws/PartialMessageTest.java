package io.coedit.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartialMessageTest {

    @Test
    void joinsPartsIntoOneMessage() {
        PartialMessage partial = new PartialMessage(100);
        assertThat(partial.append("ab", false)).isNull();
        assertThat(partial.append("cd", false)).isNull();
        assertThat(partial.append("e", true)).isEqualTo("abcde");
        assertThat(partial.append("next", true)).isEqualTo("next");
    }

    @Test
    void countsTheLimitInUtf8Bytes() {
        assertThat(PartialMessage.utf8Length("aé中😀")).isEqualTo(1 + 2 + 3 + 4);
        PartialMessage partial = new PartialMessage(6);
        assertThat(partial.append("中中", true)).isEqualTo("中中");
        assertThatThrownBy(() -> partial.append("中中中", true)).isInstanceOf(PartialMessage.MessageTooBigException.class);
    }

    @Test
    void dropsTheWholeMessageOnceOverTheLimit() {
        PartialMessage partial = new PartialMessage(5);
        partial.append("abc", false);
        assertThatThrownBy(() -> partial.append("def", false)).isInstanceOf(PartialMessage.MessageTooBigException.class);
        assertThat(partial.append("ok", true)).isEqualTo("ok");
    }
}
