package io.coedit.ws;

import java.util.List;

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

    @Test
    void aPresenceDelayOutsideZeroToOneSecondStopsTheStartSayingWhichPropertyIsWrong() {
        for (String delay : List.of("-1ms", "2s")) {
            runner.withPropertyValues("coedit.ws.presence-delay=" + delay)
                    .run(context -> assertThat(context)
                            .getFailure()
                            .hasStackTraceContaining("presence-delay must be between 0 and 1s"));
        }
        for (String delay : List.of("0s", "1s")) {
            runner.withPropertyValues("coedit.ws.presence-delay=" + delay)
                    .run(context -> assertThat(context).hasNotFailed());
        }
    }
}
