-- Sentence vectors of the texts the topic job reads (a complaint's words, an answer's opening), so each text is
-- embedded once: not again in every refit, after a restart, or on another worker. Keyed by a hash of the text, per
-- project (a project's texts and what is derived from them stay its own) and per model (another encoder's vectors
-- are not these). Half precision, base64: 1,024 characters a text. Texts not read for 180 days are dropped.
CREATE TABLE IF NOT EXISTS text_embeddings
(
    project LowCardinality(String),
    model LowCardinality(String),
    text_hash String,
    vector String CODEC(ZSTD(1)),
    created_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (project, model, text_hash)
TTL toDateTime(created_at) + INTERVAL 180 DAY;
