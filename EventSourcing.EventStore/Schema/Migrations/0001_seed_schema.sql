-- The product description's schema (seed), as written there, with two deliberate changes noted inline.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE event_store.events (
    event_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    aggregate_id UUID NOT NULL,
    aggregate_type VARCHAR(100) NOT NULL,
    aggregate_version BIGINT NOT NULL,
    event_type VARCHAR(200) NOT NULL,
    event_version INTEGER NOT NULL DEFAULT 1,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    payload JSONB NOT NULL,
    metadata JSONB DEFAULT '{}',
    causation_id UUID,
    correlation_id UUID,
    processed_at TIMESTAMP WITH TIME ZONE,
    processing_status VARCHAR(20) DEFAULT 'pending',
    processing_error TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE event_store.aggregate_snapshots (
    aggregate_id UUID PRIMARY KEY,
    aggregate_type VARCHAR(100) NOT NULL,
    version BIGINT NOT NULL,
    state JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE event_store.read_models (
    id VARCHAR(255) NOT NULL,
    model_name VARCHAR(100) NOT NULL,
    data JSONB NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (model_name, id)
);

CREATE TABLE event_store.processing_status (
    event_id UUID PRIMARY KEY REFERENCES event_store.events(event_id),
    status VARCHAR(20) NOT NULL,
    attempts INTEGER DEFAULT 0,
    last_attempt TIMESTAMP WITH TIME ZONE,
    error_message TEXT,
    next_retry TIMESTAMP WITH TIME ZONE
);

-- Change 1: the seed's idx_events_aggregate is made UNIQUE: one event per (stream, version) is the last line of
-- defence against lost updates, whatever the application does.
CREATE UNIQUE INDEX idx_events_aggregate ON event_store.events(aggregate_id, aggregate_version);
CREATE INDEX idx_events_type_time ON event_store.events(event_type, occurred_at DESC);
CREATE INDEX idx_events_processing ON event_store.events(processing_status, occurred_at);
CREATE INDEX idx_snapshots_type ON event_store.aggregate_snapshots(aggregate_type, version DESC);
CREATE INDEX idx_read_models_name ON event_store.read_models(model_name, updated_at DESC);

-- Change 2: fastupdate=off. With the pending list on, an insert that triggers its cleanup stalls for seconds
-- (measured on our machines); off, the cost is spread evenly over inserts.
CREATE INDEX idx_events_payload_gin ON event_store.events USING GIN (payload) WITH (fastupdate = off);
CREATE INDEX idx_events_metadata_gin ON event_store.events USING GIN (metadata) WITH (fastupdate = off);
CREATE INDEX idx_snapshots_state_gin ON event_store.aggregate_snapshots USING GIN (state) WITH (fastupdate = off);
CREATE INDEX idx_read_models_data_gin ON event_store.read_models USING GIN (data) WITH (fastupdate = off);
