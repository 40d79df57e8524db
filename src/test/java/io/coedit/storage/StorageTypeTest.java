package io.coedit.storage;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageTypeTest {

    @Test
    void unsetItFollowsTheClusterMode() {
        assertThat(StorageType.inForce(new MockEnvironment())).isEqualTo(StorageType.FILE);
        assertThat(StorageType.inForce(new MockEnvironment().withProperty("coedit.cluster.mode", "redis")))
                .isEqualTo(StorageType.REDIS);
    }

    @Test
    void postgresWorksInBothModesAndMemoryAlone() {
        MockEnvironment postgres = new MockEnvironment()
                .withProperty("coedit.storage.type", "postgres")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/coedit");
        assertThat(StorageType.inForce(postgres)).isEqualTo(StorageType.POSTGRES);
        assertThat(StorageType.inForce(postgres.withProperty("coedit.cluster.mode", "redis")))
                .isEqualTo(StorageType.POSTGRES);
        assertThat(StorageType.inForce(new MockEnvironment().withProperty("coedit.storage.type", "MEMORY")))
                .isEqualTo(StorageType.MEMORY);
    }

    @Test
    void aCombinationThatCannotWorkSaysWhatToSet() {
        assertThatThrownBy(() -> StorageType.inForce(new MockEnvironment()
                        .withProperty("coedit.cluster.mode", "redis")
                        .withProperty("coedit.storage.type", "file")))
                .isInstanceOf(StorageStartupException.class)
                .satisfies(ex ->
                        assertThat(((StorageStartupException) ex).action()).contains("coedit.storage.type=postgres"));
    }

    @Test
    void theLoggedUrlCarriesNoPassword() {
        assertThat(new DataSourceSettings(
                                "jdbc:postgresql://bob:secret@db:5432/coedit?password=secret", "bob", "secret")
                        .safeUrl())
                .isEqualTo("jdbc:postgresql://db:5432/coedit");
    }
}
