package io.coedit.system;

import org.springframework.context.SmartLifecycle;

/**
 * When each running part of Coedit stops, in one place. Every part with background work is a {@link SmartLifecycle}
 * (resources without work of their own are closed by their bean's destroy method). A higher phase starts later and
 * stops earlier; Spring Boot stops the web server's graceful shutdown at {@code DEFAULT_PHASE - 1024}.
 */
public final class LifecyclePhases {

    /** Sessions are told to go away first, while Redis and the store still answer. */
    public static final int SESSIONS = SmartLifecycle.DEFAULT_PHASE - 512;
    /** Periodic session and room work (pings, head checks, events for everyone) stops once sessions are closed. */
    public static final int ROOMS = SmartLifecycle.DEFAULT_PHASE - 640;
    /** Commits in flight finish after the sessions closed, so no accepted edit is lost. */
    public static final int SUBMITS = SmartLifecycle.DEFAULT_PHASE - 700;
    /** This instance's presence in the cluster is removed once its sessions are all gone. */
    public static final int CLUSTER = SmartLifecycle.DEFAULT_PHASE - 768;

    private LifecyclePhases() {}
}
