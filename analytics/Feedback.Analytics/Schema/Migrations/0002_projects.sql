-- Projects and their API keys. Only a SHA-256 hash of a key is stored.
CREATE TABLE IF NOT EXISTS projects
(
    name String,
    created_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY name;

CREATE TABLE IF NOT EXISTS api_keys
(
    key_hash String,
    project String,
    kind LowCardinality(String),
    created_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY key_hash;
