-- Snapshot retention: keep the last N snapshots per aggregate (SNAPSHOT_RETENTION), not only the latest one.
-- The seed's one-row-per-aggregate key becomes (aggregate, version); the latest is the highest version.
ALTER TABLE event_store.aggregate_snapshots DROP CONSTRAINT aggregate_snapshots_pkey;
ALTER TABLE event_store.aggregate_snapshots ADD PRIMARY KEY (aggregate_id, version);
