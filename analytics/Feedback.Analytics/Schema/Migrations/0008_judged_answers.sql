-- Answers judged by their users, keyed by the normalised request (pair source 5, SameRequestPairMiner): each run
-- adds the turns whose signals changed, then groups only the requests those turns belong to.
-- evidence: 'reaction' (thumbs and emoji) or 'rating'; polarity -1, 0 or +1 within that evidence.
-- Re-judging a turn writes a newer row (version: derived_at) that replaces the older one.
CREATE TABLE IF NOT EXISTS judged_answers
(
    project LowCardinality(String),
    request_key UInt64,
    evidence LowCardinality(String),
    turn_id String,
    turn_event_id UUID,
    response_key UInt64,
    polarity Int8,
    turn_timestamp DateTime64(3, 'UTC'),
    derived_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(derived_at)
ORDER BY (project, request_key, evidence, turn_id);
