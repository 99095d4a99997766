-- Labels of follow-ups that are not the shipped classifier's (issue 13): a person's review (source 'review') or the
-- app's own LLM's (source 'llm'). One row per follow-up event and source; reviewing twice keeps the last
-- (ReplacingMergeTree on labelled_at). A review outranks an LLM label, which outranks the model's (TurnSignalsJob).
-- 'skip' is a review that keeps the model's label and takes the follow-up out of the review queue.
CREATE TABLE IF NOT EXISTS follow_up_reviews
(
    project LowCardinality(String),
    event_id UUID,
    conversation_id String,
    turn_id String,
    source LowCardinality(String),
    label LowCardinality(String),
    confidence Float32,
    labelled_by String,
    labelled_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(labelled_at)
ORDER BY (project, event_id, source);

-- Where each turn's follow-up label came from ('model', 'llm', 'review'; '' without a follow-up), and whether a
-- person reviewed what an unpaired label or a follow-up pair rests on (exports show it as meta.reviewed).
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS follow_up_source LowCardinality(String);
ALTER TABLE turn_labels ADD COLUMN IF NOT EXISTS reviewed UInt8;
ALTER TABLE pairs ADD COLUMN IF NOT EXISTS reviewed UInt8;
