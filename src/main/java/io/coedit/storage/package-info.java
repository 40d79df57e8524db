/**
 * The SQL document stores behind {@code coedit.storage.type}: the SQLite file (the default for one instance) and
 * PostgreSQL (for a cluster), their schema migrations, and the start-up check of the storage type against the
 * cluster mode.
 */
package io.coedit.storage;
