-- The GIN indexes written per event (the events' payload and metadata, the read models' data) take their entries
-- through the pending list again (fastupdate on, PostgreSQL's default): an insert appends to the list instead of
-- descending the index once per entry, and a merge of the whole list costs a fraction of that: the event insert and
-- the read-model upsert cost about half as much, merges included (BENCHMARKS.md, session 9). They were off because an
-- insert that finds the list over gin_pending_list_limit merges it itself and stalls; the services now merge the lists
-- twice a second (GinPendingLists), so no insert finds them full. The snapshots' index keeps fastupdate off: snapshots
-- are written rarely.
ALTER INDEX event_store.idx_events_payload_gin SET (fastupdate = on);
ALTER INDEX event_store.idx_events_metadata_gin SET (fastupdate = on);
ALTER INDEX event_store.idx_read_models_data_gin SET (fastupdate = on);
