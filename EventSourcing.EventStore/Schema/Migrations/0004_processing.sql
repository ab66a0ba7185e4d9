-- Read models remember which aggregate they come from (the id of player_summary changes to the playerId once it
-- is known) and the last aggregate version applied (the contract's `version`), so re-deliveries are skipped.
ALTER TABLE event_store.read_models ADD COLUMN aggregate_id UUID;
CREATE UNIQUE INDEX idx_read_models_aggregate ON event_store.read_models(model_name, aggregate_id);

-- Processing outcome per event, written by the processor (never an UPDATE of the event row).
ALTER TABLE event_store.processing_status
    ADD COLUMN aggregate_id UUID,
    ADD COLUMN occurred_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN processed_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX idx_processing_status_due ON event_store.processing_status(next_retry) WHERE status IN ('failed', 'pending');
CREATE INDEX idx_processing_status_processed_at ON event_store.processing_status(processed_at) WHERE processed_at IS NOT NULL;
CREATE INDEX idx_processing_status_status ON event_store.processing_status(status);

-- events-per-day scans by time across all types.
CREATE INDEX idx_events_occurred_at ON event_store.events(occurred_at);

-- Each processor instance reports its workers and consumer lag here (read by GET processing/status).
CREATE TABLE event_store.processor_instances (
    instance_id VARCHAR(200) PRIMARY KEY,
    workers INTEGER NOT NULL,
    consumer_lag BIGINT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
