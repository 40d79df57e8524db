package io.coedit.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.config.observation.SecurityObservationSettings;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityObservationsTest {

    private final SecurityConfiguration configuration = new SecurityConfiguration();

    @Test
    void securityFiltersAreNotObservedWhenTheOperatorSwitchedThemOff() {
        MockEnvironment environment =
                new MockEnvironment().withProperty("management.observations.enable[spring.security]", "false");

        SecurityObservationSettings settings = configuration.securityObservationSettings(environment);

        assertThat(settings.shouldObserveRequests()).isFalse();
        assertThat(settings.shouldObserveAuthentications()).isFalse();
        assertThat(settings.shouldObserveAuthorizations()).isFalse();
    }

    @Test
    void securityFiltersAreObservedWhenTheOperatorAsksForThem() {
        MockEnvironment environment =
                new MockEnvironment().withProperty("management.observations.enable.spring.security", "true");

        SecurityObservationSettings settings = configuration.securityObservationSettings(environment);

        assertThat(settings.shouldObserveRequests()).isTrue();
        assertThat(settings.shouldObserveAuthentications()).isTrue();
        assertThat(settings.shouldObserveAuthorizations()).isTrue();
        assertThat(configuration
                        .securityObservationSettings(new MockEnvironment())
                        .shouldObserveRequests())
                .as("what Spring Security observes when nothing is set")
                .isTrue();
    }
}
