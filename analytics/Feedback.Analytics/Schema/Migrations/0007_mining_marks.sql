-- How far each incremental pair miner has got per project: the newest turn_signals.derived_at it has mined.
-- A newer row for the same (project, miner) replaces the older one (version: updated_at).
CREATE TABLE IF NOT EXISTS mining_marks
(
    project LowCardinality(String),
    miner LowCardinality(String),
    mark DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project, miner);
