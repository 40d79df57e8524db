package io.coedit.system;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock and the timers the features share. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdownNow")
    @CoeditExecutors.SessionTimer
    static ScheduledExecutorService sessionTimer() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("coedit-ws-timer"));
    }

    /**
     * Gap healing and the periodic head check read the store, which can wait on Redis for seconds during an
     * outage; they get their own thread so pings and token expiry keep their schedule.
     */
    @Bean(destroyMethod = "shutdownNow")
    @CoeditExecutors.HealTimer
    static ScheduledExecutorService healTimer() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("coedit-ws-heal"));
    }
}
