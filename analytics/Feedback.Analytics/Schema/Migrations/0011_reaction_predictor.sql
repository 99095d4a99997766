-- The reaction predictor (docs/mining.md, "Reaction predictor"): one trained model per project (the ML.NET zip,
-- base64), with its held-out AUC. A newer training replaces the older (version: trained_at).
CREATE TABLE IF NOT EXISTS reaction_predictors
(
    project LowCardinality(String),
    trained_at DateTime64(3, 'UTC'),
    model String,
    auc Float64,
    train_turns UInt32,
    test_turns UInt32,
    positive_share Float64
)
ENGINE = ReplacingMergeTree(trained_at)
ORDER BY project;

-- P[positive] of turns without an explicit reaction, from the project's predictor trained at predictor_trained_at.
-- Re-scoring (a newer predictor) replaces the row (version: scored_at).
CREATE TABLE IF NOT EXISTS turn_predictions
(
    project LowCardinality(String),
    turn_id String,
    p_positive Float32,
    predictor_trained_at DateTime64(3, 'UTC'),
    scored_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(scored_at)
ORDER BY (project, turn_id);
