-- events-per-day as a rollup: the append transaction adds its events to (UTC day, aggregate type) counters, so the
-- analytics read a row per day instead of scanning millions of index entries. Appends already serialize on the
-- global_position row, so this row adds no new contention. Existing events are counted once, here.
CREATE TABLE event_store.event_counts_daily (
    day DATE NOT NULL,
    aggregate_type VARCHAR(100) NOT NULL,
    events BIGINT NOT NULL,
    PRIMARY KEY (day, aggregate_type)
);

INSERT INTO event_store.event_counts_daily (day, aggregate_type, events)
SELECT (occurred_at AT TIME ZONE 'UTC')::date, aggregate_type, count(*) FROM event_store.events GROUP BY 1, 2;
