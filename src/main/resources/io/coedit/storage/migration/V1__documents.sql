-- One schema for both SQL stores (SQLite for coedit.storage.type=file, PostgreSQL for postgres): only types and
-- statements both understand. Text that may hold a lone UTF-16 surrogate (content, op entries, client op keys) is
-- stored as JSON with every character above U+D7FF escaped, so it survives UTF-8 exactly (LogEntryCodec).

-- Values of the whole store; 'genesis' is the epoch of documents nobody wrote yet.
CREATE TABLE coedit_meta (
    name  VARCHAR(64) PRIMARY KEY,
    value TEXT        NOT NULL
);

-- One row per document that has at least one op: its head, and the snapshot the head is rebuilt from.
CREATE TABLE documents (
    id         VARCHAR(128) PRIMARY KEY,
    epoch      VARCHAR(64)  NOT NULL,
    rev        BIGINT       NOT NULL,
    -- content (a JSON string literal) at revision snap_rev; the ops after it rebuild the head
    snap_rev   BIGINT       NOT NULL,
    snapshot   TEXT         NOT NULL,
    -- the oldest revision still in ops (rev + 1 when none), and what the ops kept add up to
    log_from   BIGINT       NOT NULL,
    log_bytes  BIGINT       NOT NULL,
    -- the oldest revision whose client op key is still in op_keys
    keys_from  BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL
);

-- Every accepted op (all of them unless coedit.storage.retention bounds it); (doc_id, rev) makes each revision
-- of a document unique, whoever commits it.
CREATE TABLE ops (
    doc_id VARCHAR(128) NOT NULL,
    rev    BIGINT       NOT NULL,
    -- {"rev":7,"op":[3,"abc",-2],"author":{"id":"u1","name":"Ann"},"id":"c1:7","ts":"2025-01-01T12:00:00.123Z"}
    entry  TEXT         NOT NULL,
    bytes  BIGINT       NOT NULL,
    PRIMARY KEY (doc_id, rev)
);

-- Accepted (author, client op id) keys, kept by time and count (coedit.documents.op-id-window / op-id-max), so a
-- resubmission is recognised, and never applied twice, even after its op left a bounded history.
CREATE TABLE op_keys (
    doc_id      VARCHAR(128) NOT NULL,
    op_key      TEXT         NOT NULL,
    rev         BIGINT       NOT NULL,
    accepted_at BIGINT       NOT NULL,
    PRIMARY KEY (doc_id, op_key)
);

CREATE INDEX op_keys_by_rev ON op_keys (doc_id, rev);
