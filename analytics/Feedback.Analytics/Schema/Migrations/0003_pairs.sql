-- Mined preference pairs with their lineage. pair_id is derived from the source events, so mining twice
-- never makes a second pair.
CREATE TABLE IF NOT EXISTS pairs
(
    pair_id UUID,
    project LowCardinality(String),
    source LowCardinality(String),
    prompt Array(Tuple(role String, content String)),
    chosen String,
    rejected String,
    confidence Float32,
    turn_id String,
    source_event_ids Array(UUID),
    model LowCardinality(String),
    model_version LowCardinality(String),
    user_id String,
    created_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (project, pair_id);
