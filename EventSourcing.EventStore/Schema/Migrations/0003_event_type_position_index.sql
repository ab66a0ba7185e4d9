-- GET /events?eventType= pages by position; the seed's (event_type, occurred_at) index cannot give that order.
CREATE INDEX idx_events_event_type_position ON event_store.events(event_type, position);
