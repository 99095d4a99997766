-- Every event of every kind, one row each (docs/events.md). Re-delivery of an event_id collapses to one row:
-- ReplacingMergeTree on merge, and FINAL on every read so results are right before merges happen.
CREATE TABLE IF NOT EXISTS events
(
    event_id UUID,
    kind LowCardinality(String),
    project LowCardinality(String),
    timestamp DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    user_id String,
    session_id String,
    conversation_id String,
    turn_id String,
    previous_turn_id String,
    request Array(Tuple(role String, content String)),
    response String,
    model LowCardinality(String),
    model_version LowCardinality(String),
    prompt_template LowCardinality(String),
    latency_ms Nullable(UInt32),
    input_tokens Nullable(UInt32),
    output_tokens Nullable(UInt32),
    metadata Map(String, String),
    thumb LowCardinality(String),
    emoji String,
    rating Nullable(Float64),
    rating_scale Nullable(Float64),
    comment String,
    edited_response String,
    message String,
    new_turn_id String,
    alternative_turn_ids Array(String),
    chosen_turn_id String,
    copied_text String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (project, event_id);
