-- Answers to creates made with an Idempotency-Key (Twin.Api IdempotencyMiddleware), shared by every silo so
-- a retry that lands elsewhere gets the same answer. A row without status is a claim: its request still runs
-- (or its silo died; the claim is taken over after the request timeout). Rows expire after a day.
CREATE TABLE IF NOT EXISTS twin_idempotency
(
    key          text        NOT NULL PRIMARY KEY,
    fingerprint  text        NOT NULL,
    claimed_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    status       integer     NULL,
    content_type text        NULL,
    location     text        NULL,
    body         bytea       NULL
);

CREATE INDEX IF NOT EXISTS twin_idempotency_expires ON twin_idempotency (expires_at);
