/**
 * Coedit, a real-time collaborative document service. Feature packages, from the leaves in: {@code ot} (the pure
 * operational-transform algebra), {@code error} and {@code system} (the error vocabulary; clock, threads, cluster
 * mode), {@code security}, {@code document} (documents, the op log, the store and relay ports, the submit path),
 * {@code storage} (the SQL stores), {@code events}, then the edges nothing imports: {@code ws} and {@code web}
 * (transports) and {@code cluster} (one-instance and Redis adapters). docs/architecture.md draws the map.
 */
package io.coedit;
