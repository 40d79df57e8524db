package io.coedit.ws;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketPropertiesTest {

    @EnableConfigurationProperties(WebSocketProperties.class)
    static class Properties {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class);

    @Test
    void aNegativeRoomRecentAgeStopsTheStartSayingWhichPropertyIsWrong() {
        runner.withPropertyValues("coedit.ws.room-recent-age=-1s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("room-recent-age must not be negative"));
        runner.withPropertyValues("coedit.ws.room-recent-age=0s")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
