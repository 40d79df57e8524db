package io.coedit.cluster;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreshEpochsTest {

    @Test
    void everyEpochIsAVersionFourUuidNotReturnedBefore() {
        FreshEpochs epochs = new FreshEpochs();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String epoch = epochs.next();
            UUID parsed = UUID.fromString(epoch);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(seen.add(epoch)).as("epoch %s returned twice", epoch).isTrue();
        }
    }

    @Test
    void twoInstancesStartFromDifferentRandomPoints() {
        String first = new FreshEpochs().next();
        String second = new FreshEpochs().next();
        assertThat(first.substring(0, 18)).isNotEqualTo(second.substring(0, 18));
    }
}
