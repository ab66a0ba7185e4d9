-- "Processed" is no longer a processing_status row per event: that upsert, its foreign-key check on events and its
-- indexes were half of the database's work per event (issue 16, BENCHMARKS.md). The table keeps what only it can
-- say: failures, retries, dead letters and requeues, and the outcome of events that failed before they succeeded.
-- That everything else is processed is known from counters (GET processing/status already derives it so), and how
-- long processing took is kept here, one row per projector commit with the latency of each event it committed.
CREATE TABLE event_store.processing_latency (
    processed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    latencies_ms REAL[] NOT NULL
);
CREATE INDEX idx_processing_latency_processed_at ON event_store.processing_latency(processed_at);

-- Existing first-attempt successes move into the latency log, then their rows go.
INSERT INTO event_store.processing_latency (processed_at, latencies_ms)
SELECT processed_at, array_agg((extract(epoch FROM processed_at - occurred_at) * 1000)::real)
FROM event_store.processing_status
WHERE status = 'processed' AND processed_at IS NOT NULL AND occurred_at IS NOT NULL
GROUP BY processed_at;

DELETE FROM event_store.processing_status WHERE status = 'processed' AND attempts <= 1;
DROP INDEX event_store.idx_processing_status_processed_at;
