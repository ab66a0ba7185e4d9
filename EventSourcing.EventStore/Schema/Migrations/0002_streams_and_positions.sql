-- What the event store needs beyond the seed's tables.

-- One row per aggregate: its type (immutable) and current version. Appends lock this row, so two writers of one
-- aggregate queue up instead of racing for the same version.
CREATE TABLE event_store.streams (
    aggregate_id UUID PRIMARY KEY,
    aggregate_type VARCHAR(100) NOT NULL,
    current_version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_streams_type ON event_store.streams(aggregate_type, aggregate_id);

-- The global order of the store. Positions are handed out from this single counter row inside the append
-- transaction; its row lock is held until commit, so positions become visible in exactly the order they were
-- allocated (a reader tailing "position > n" never skips an event committed late) and a rolled-back append leaves
-- no gap. Appends share commits (group commit), so this is one row update per batch, not per event.
CREATE TABLE event_store.global_position (
    id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    last_position BIGINT NOT NULL
);
INSERT INTO event_store.global_position (last_position) VALUES (0);

ALTER TABLE event_store.events
    ADD COLUMN position BIGINT NOT NULL,
    ADD COLUMN traceparent TEXT;
CREATE UNIQUE INDEX idx_events_position ON event_store.events(position);
CREATE INDEX idx_events_correlation ON event_store.events(correlation_id, position) WHERE correlation_id IS NOT NULL;
CREATE INDEX idx_events_aggregate_type_position ON event_store.events(aggregate_type, position);

-- Durable progress of everything that tails the store by position (the Kafka outbox relay, replays).
CREATE TABLE event_store.checkpoints (
    name VARCHAR(100) PRIMARY KEY,
    position BIGINT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The audit trail: an event row never changes and never goes away.
CREATE FUNCTION event_store.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_store.events is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON event_store.events
    FOR EACH ROW EXECUTE FUNCTION event_store.reject_event_change();
CREATE TRIGGER events_are_not_truncated BEFORE TRUNCATE ON event_store.events
    FOR EACH STATEMENT EXECUTE FUNCTION event_store.reject_event_change();
