package io.coedit.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.coedit.document.SubmitRejectedException;

class ErrorCodeTest {

    @Test
    void everySubmitRejectionHasAWireCodeOfTheSameName() {
        for (SubmitRejectedException.Reason reason : SubmitRejectedException.Reason.values()) {
            assertThat(ErrorCode.valueOf(reason.name()).wireValue()).isEqualTo(reason.name().toLowerCase());
        }
    }
}
