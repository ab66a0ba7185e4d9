-- Raw ceiling for BENCHMARKS.md. Needs: CREATE SEQUENCE pgbench_pos START 1000000000000;
-- Writes permanent rows (events are append-only): run it against a throw-away data folder.
\set agg random(1, 1000000000)
BEGIN;

INSERT INTO event_store.events (event_id, aggregate_id, aggregate_type, aggregate_version, event_type, payload, metadata, position)
VALUES (gen_random_uuid(), gen_random_uuid(), 'bench', 1, 'PlayerLevelUp', '{"newLevel":25,"experienceGained":1500}', '{"source":"pgbench","gameMode":"ranked"}', nextval('pgbench_pos'));
COMMIT;
