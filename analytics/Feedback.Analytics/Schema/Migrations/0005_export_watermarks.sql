-- How far each named incremental export has got: the (created_at, id) of the last row it delivered.
-- A newer row for the same (project, name) replaces the older one (version: updated_at).
CREATE TABLE IF NOT EXISTS export_watermarks
(
    name String,
    project LowCardinality(String),
    position_created_at DateTime64(3, 'UTC'),
    position_id UUID,
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project, name);
