-- Unpaired labels (KTO-style): one row per turn with a feedback signal (docs/mining.md, "Unpaired labels"), derived
-- from turn_signals by TurnLabelJob. label is +1 (desirable), -1 (undesirable) or 0 (no clear signal: the votes
-- conflict or none of them counts). Re-labelling a turn writes a newer row (version: labelled_at); created_at is
-- the export position and changes only when the label or its lineage does.
CREATE TABLE IF NOT EXISTS turn_labels
(
    project LowCardinality(String),
    turn_id String,
    label_id UUID,
    label Int8,
    confidence Float32,
    source LowCardinality(String),
    signals Array(LowCardinality(String)),
    prompt Array(Tuple(role String, content String)),
    completion String,
    source_event_ids Array(UUID),
    model LowCardinality(String),
    model_version LowCardinality(String),
    user_id String,
    signals_derived_at DateTime64(3, 'UTC'),
    created_at DateTime64(3, 'UTC'),
    labelled_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(labelled_at)
ORDER BY (project, turn_id);
