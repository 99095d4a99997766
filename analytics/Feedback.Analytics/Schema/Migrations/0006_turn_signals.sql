-- Feedback signals per turn (docs/mining.md, "Signals per turn"), derived from the turn's events by TurnSignalsJob.
-- Re-deriving a turn writes a newer row (version: derived_at) that replaces the older one.
CREATE TABLE IF NOT EXISTS turn_signals
(
    project LowCardinality(String),
    turn_id String,
    conversation_id String,
    user_id String,
    model LowCardinality(String),
    model_version LowCardinality(String),
    turn_timestamp DateTime64(3, 'UTC'),
    reaction_polarity Int8,
    thumbs_up UInt32,
    thumbs_down UInt32,
    emoji_polarity Int8,
    rating_normalized Nullable(Float64),
    edited UInt8,
    edit_distance_ratio Nullable(Float64),
    regenerated UInt8,
    chosen UInt32,
    not_chosen UInt32,
    copied UInt8,
    follow_up_label LowCardinality(String),
    follow_up_confidence Nullable(Float32),
    event_count UInt32,
    events_received_at DateTime64(3, 'UTC'),
    derived_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(derived_at)
ORDER BY (project, turn_id);
