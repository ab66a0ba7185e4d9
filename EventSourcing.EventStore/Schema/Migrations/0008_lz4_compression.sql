-- Compression of large states (the seed's snapshot optimisation "JSONB compression for large states").
-- PostgreSQL compresses a jsonb value once it is too large to keep in line (about 2 kB: TOAST). lz4 compresses and,
-- above all, decompresses several times faster than the default pglz, for about the same size: every aggregate read
-- that starts from a snapshot decompresses it. It applies to values written from now on.
-- A server built without lz4 keeps pglz (this migration must not fail there: compression is an optimisation).
DO $$
BEGIN
    ALTER TABLE event_store.aggregate_snapshots ALTER COLUMN state SET COMPRESSION lz4;
    ALTER TABLE event_store.events ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    RAISE NOTICE 'lz4 is not available on this server; large states keep the default compression';
END
$$;
