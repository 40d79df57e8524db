package io.coedit.ws;

import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * WebSocket limits ({@code coedit.ws.*}).
 *
 * @param maxMessageSize largest client message; a bigger one closes the session with 1009
 * @param frameBufferSize Tomcat's per-session read buffer; larger messages arrive in parts and are joined here,
 *        so this, not {@code maxMessageSize}, is what every idle connection costs
 * @param sendTimeLimit how long one send to a session may take before the session is closed as a slow consumer
 * @param sendBufferLimit how many bytes of frames (their UTF-8 payloads) may queue for one session before it is
 *        closed as a slow consumer (4500)
 * @param heartbeatInterval how often the server pings each session
 * @param heartbeatTimeout how long after a ping without any pong, message or completed send a session is closed
 * @param rateLimit per-connection message rate
 * @param syncMaxBytes a {@code sync} whose missing ops add up to more than this is answered with a snapshot
 * @param roomRecentOps ops each document's room keeps to bring a joiner level with what it read
 * @param roomRecentBytes the byte budget of those ops
 * @param roomRecentAge how much older than the newest op those ops may be: a joiner's read is a moment old, and ops
 *        kept longer only outlive young collections
 * @param partialMessagesBudget what all sessions together have sent and is not handled yet (unfinished fragmented
 *        messages, frames still arriving on the event loop endpoint, messages waiting behind a session's join or
 *        sync) is held at most this many bytes; a session whose
 *        next part or message would pass it is closed with 1013 (try again later)
 * @param partialMessageTimeout a fragmented message not finished within this is dropped with its session (1008)
 * @param maxSessionsPerUser concurrent sessions one user ({@code sub}) may hold on this instance (4429 beyond)
 * @param closerThreads threads that close sessions (a close can wait on a stuck peer for the send time limit)
 * @param readThreads threads that read the store for joins and syncs (each waits on the store; joins queue beyond)
 * @param socketBufferSize Tomcat's per-connection socket read and write buffers and WebSocket frame buffers (each
 *        idle session holds four of them); bigger messages arrive in parts, and messages queued for a session are
 *        written in batches of this size
 * @param drainDelay on shutdown (SIGTERM), how long readiness reports DOWN and new sessions are refused before the
 *        drain goes on: the time a load balancer needs to notice (0 behind nginx, which retries a 503 elsewhere)
 * @param drainTimeout on shutdown, how long submits already queued may take to be stored and acked before the
 *        sessions are closed (1001)
 * @param headCheckInterval how often every room is compared with its document's head (one store call for all of
 *        them), so even the last op of a burst that the relay dropped arrives: a room is healed from the log when it
 *        still lacks an op its document had at the check before, so within two of these
 * @param gapHealDelay how long a room waits for a missing op to arrive on its own before reading it from the log
 * @param presenceDelay how long a presence change (a join, a leave, a caret) for a session with nothing being written
 *        may wait for others to leave in the same write; an op, ack or reply for that session takes it along at once.
 *        0 writes each at once
 */
@Validated
@ConfigurationProperties("coedit.ws")
public record WebSocketProperties(
        @DefaultValue("1MB") @NotNull DataSize maxMessageSize,
        @DefaultValue("1KB") @NotNull DataSize frameBufferSize,
        @DefaultValue("10s") @NotNull Duration sendTimeLimit,
        @DefaultValue("4MB") @NotNull DataSize sendBufferLimit,
        @DefaultValue("25s") @NotNull Duration heartbeatInterval,
        @DefaultValue("20s") @NotNull Duration heartbeatTimeout,
        @Valid @NotNull @DefaultValue RateLimit rateLimit,
        @DefaultValue("1MB") @NotNull DataSize syncMaxBytes,
        @DefaultValue("256") @Min(1) int roomRecentOps,
        @DefaultValue("1MB") @NotNull DataSize roomRecentBytes,
        @DefaultValue("2s") @NotNull Duration roomRecentAge,
        @DefaultValue("64MB") @NotNull DataSize partialMessagesBudget,
        @DefaultValue("30s") @NotNull Duration partialMessageTimeout,
        @DefaultValue("32") @Min(1) int maxSessionsPerUser,
        @DefaultValue("8") @Min(1) @Max(256) int closerThreads,
        @DefaultValue("16") @Min(1) @Max(256) int readThreads,
        @DefaultValue("1KB") @NotNull DataSize socketBufferSize,
        @DefaultValue("0s") @NotNull Duration drainDelay,
        @DefaultValue("10s") @NotNull Duration drainTimeout,
        @DefaultValue("2s") @NotNull Duration headCheckInterval,
        @DefaultValue("50ms") @NotNull Duration gapHealDelay,
        @DefaultValue("20ms") @NotNull Duration presenceDelay) {

    @AssertTrue(message = "room-recent-age must not be negative")
    boolean isRoomRecentAgeNotNegative() {
        return roomRecentAge == null || !roomRecentAge.isNegative();
    }

    @AssertTrue(message = "presence-delay must be between 0 and 1s")
    boolean isPresenceDelayInRange() {
        return presenceDelay == null
                || (!presenceDelay.isNegative() && presenceDelay.compareTo(Duration.ofSeconds(1)) <= 0);
    }

    /**
     * @param messagesPerSecond sustained messages a connection may send
     * @param burst messages it may send at once
     * @param closeAfter rejected messages in a row after which the connection is closed with 4429
     */
    public record RateLimit(
            @DefaultValue("200") @Min(1) int messagesPerSecond,
            @DefaultValue("400") @Min(1) int burst,
            @DefaultValue("100") @Min(1) int closeAfter) {}
}
