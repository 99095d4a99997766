-- Drill-down to one conversation (GET /v1/conversations/{id}) finds its events and turn signals by
-- conversation_id, which neither table is sorted by: bloom filter skip indexes let a read skip the granules
-- without that id instead of scanning the project. MATERIALIZE builds them for rows written before.
ALTER TABLE events ADD INDEX IF NOT EXISTS events_conversation_id conversation_id TYPE bloom_filter(0.01) GRANULARITY 1;
ALTER TABLE events MATERIALIZE INDEX events_conversation_id;
ALTER TABLE turn_signals ADD INDEX IF NOT EXISTS turn_signals_conversation_id conversation_id TYPE bloom_filter(0.01) GRANULARITY 1;
ALTER TABLE turn_signals MATERIALIZE INDEX turn_signals_conversation_id;
