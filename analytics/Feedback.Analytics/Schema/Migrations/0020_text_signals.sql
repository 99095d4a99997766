-- What C# reads from a turn's texts, once per event (TextSignalsJob): the follow-up classifier's label of a
-- follow_up event, and whether an edit event is a real edit and how far it moved the answer. TurnSignalsJob then
-- derives every turn's signals in SQL, joining these rows, so whole turns never travel to C# and back.
-- An event's row never changes (its turn's texts don't), so the key is the event.
CREATE TABLE IF NOT EXISTS text_signals
(
    project LowCardinality(String),
    turn_id String,
    event_id UUID,
    kind LowCardinality(String),
    event_timestamp DateTime64(3, 'UTC'),
    follow_up_label LowCardinality(String),
    follow_up_confidence Nullable(Float32),
    real_edit UInt8,
    edit_distance_ratio Nullable(Float64),
    derived_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(derived_at)
ORDER BY (project, turn_id, event_id);
