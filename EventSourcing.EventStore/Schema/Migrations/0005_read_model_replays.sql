-- Blue/green replay of read models: the API queues a replay, the processor rebuilds each model from the full history
-- into staging rows while the live rows keep serving, then swaps them in one transaction.

CREATE TABLE event_store.read_model_replays (
    replay_id UUID PRIMARY KEY,
    model_names TEXT[] NOT NULL,
    status VARCHAR(20) NOT NULL,           -- queued, running, completed, failed
    current_model VARCHAR(100),
    models_done INTEGER NOT NULL DEFAULT 0,
    events_total BIGINT NOT NULL DEFAULT 0,
    events_done BIGINT NOT NULL DEFAULT 0,
    documents_written BIGINT NOT NULL DEFAULT 0,
    failed_aggregates BIGINT NOT NULL DEFAULT 0,
    worker VARCHAR(200),
    error TEXT,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    started_at TIMESTAMP WITH TIME ZONE,
    -- The running worker's heartbeat: a replay whose worker died is taken over once this is stale.
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_read_model_replays_open ON event_store.read_model_replays(requested_at) WHERE status IN ('queued', 'running');

-- The green side: documents being rebuilt, per replay. No GIN index here: it is paid once, at the swap.
CREATE TABLE event_store.read_model_staging (
    replay_id UUID NOT NULL,
    model_name VARCHAR(100) NOT NULL,
    aggregate_id UUID NOT NULL,
    id VARCHAR(255) NOT NULL,
    data JSONB NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (replay_id, model_name, aggregate_id)
);
