package io.coedit.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * The qualifiers of Coedit's executors, so each is injected by what it is for, never by a parameter's name. Each
 * timer is one thread: what runs on it must not wait on I/O for long, or it delays the rest of its schedule.
 */
public final class CoeditExecutors {

    private CoeditExecutors() {}

    /** Session upkeep: token expiry, pings, slow consumers (one thread, never waits on a store). */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    public @interface SessionTimer {}

    /** Gap healing and the periodic head check, which read the store and may wait on it during an outage. */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    public @interface HealTimer {}

    /** Closes sessions off the hot path: closing a stuck connection can wait on Tomcat's close-frame timeout. */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    public @interface SessionCloser {}

    /**
     * Joins and syncs, which read the store: they wait on it here, never on a request thread, so a small request pool
     * keeps parsing and queueing every session's messages while a store call is slow.
     */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    public @interface SessionReads {}

    /** Ends the short waits of presence frames for company ({@code coedit.ws.presence-delay}); writes, never waits. */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    public @interface PresenceTimer {}

    /** The Redis adapter's periodic work (probe, presence refresh) and what it moves off the relay's thread. */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    public @interface ClusterTimer {}
}
