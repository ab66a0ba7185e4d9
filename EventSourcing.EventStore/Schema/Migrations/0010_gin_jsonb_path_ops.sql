-- The seed's four GIN indexes with the jsonb_path_ops operator class instead of the default jsonb_ops: one entry per
-- path and value instead of one per key and one per value, so every event and every read-model write adds fewer
-- (measured on a store of 800k read models: -25% per read-model write, -25 to -40% per event insert; BENCHMARKS.md).
-- They serve the containment (@>) queries, which is what the API asks (GET /events?payloadContains=&metadataContains=);
-- what jsonb_path_ops cannot serve, key-existence operators (?, ?|, ?&), nothing asks. The same names, fastupdate off.
-- Rebuilding takes a while on a large store (about a second per million small documents here).
DROP INDEX event_store.idx_events_payload_gin;
CREATE INDEX idx_events_payload_gin ON event_store.events USING GIN (payload jsonb_path_ops) WITH (fastupdate = off);
DROP INDEX event_store.idx_events_metadata_gin;
CREATE INDEX idx_events_metadata_gin ON event_store.events USING GIN (metadata jsonb_path_ops) WITH (fastupdate = off);
DROP INDEX event_store.idx_snapshots_state_gin;
CREATE INDEX idx_snapshots_state_gin ON event_store.aggregate_snapshots USING GIN (state jsonb_path_ops) WITH (fastupdate = off);
DROP INDEX event_store.idx_read_models_data_gin;
CREATE INDEX idx_read_models_data_gin ON event_store.read_models USING GIN (data jsonb_path_ops) WITH (fastupdate = off);
