/**
 * The adapters of the two cluster modes, one configuration class each, plugged into the ports of the features
 * ({@code DocumentRelay}, {@code DocumentStore}, {@code EventBus}, {@code IdempotencyKeys}): in memory for one
 * instance ({@link io.coedit.cluster.LocalModeConfiguration}), Redis pub/sub, a presence directory and the Redis
 * document store for a cluster ({@link io.coedit.cluster.RedisModeConfiguration}). Nothing imports this package.
 */
package io.coedit.cluster;
