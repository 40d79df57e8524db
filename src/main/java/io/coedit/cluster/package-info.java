/**
 * How instances share documents: the relay of committed ops and presence between instances (a no-op on a single
 * instance, Redis pub/sub in a cluster) and the Redis document store. Imports {@code document} and {@code ot};
 * never {@code ws} or {@code web}.
 */
package io.coedit.cluster;
