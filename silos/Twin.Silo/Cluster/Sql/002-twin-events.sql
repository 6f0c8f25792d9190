-- The factory's event history in the cluster profile. seq is assigned by the one writer (the event
-- log grain) inside a transaction that holds an advisory lock, as max(seq) + row number of the new
-- rows: dense and in commit order, so a reader never sees a later sequence before an earlier one.
-- id is the producer's event id: unique, so a repeated append stores nothing.
CREATE TABLE IF NOT EXISTS twin_events
(
    seq             bigint      NOT NULL PRIMARY KEY,
    id              text        NOT NULL UNIQUE,
    time            timestamptz NOT NULL,
    kind            text        NOT NULL,
    site            text        NOT NULL,
    device_id       text        NULL,
    device_kind     smallint    NULL,
    health          smallint    NULL,
    previous_health smallint    NULL,
    fault_id        text        NULL,
    summary         text        NOT NULL
);
