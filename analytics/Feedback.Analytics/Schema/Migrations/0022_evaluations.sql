-- Evaluation events (issue 16): an evaluator's result on a turn (Microsoft.Extensions.AI.Evaluation metrics,
-- OpenTelemetry gen_ai.evaluation.result), kept in the events table like every kind. No signal job counts them
-- (TurnSignalsJob skips the kind): they are not user feedback. Trends read them per turn (Trends/EvaluationScores.cs).
ALTER TABLE events ADD COLUMN IF NOT EXISTS evaluation_name LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS evaluation_score Nullable(Float64);
ALTER TABLE events ADD COLUMN IF NOT EXISTS evaluation_label String;
ALTER TABLE events ADD COLUMN IF NOT EXISTS evaluation_rating LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS evaluation_failed Nullable(Bool);
ALTER TABLE events ADD COLUMN IF NOT EXISTS evaluation_reason String;
