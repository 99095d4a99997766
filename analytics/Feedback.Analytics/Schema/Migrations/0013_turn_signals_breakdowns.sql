-- Trend breakdowns (docs/analytics.md): the turn's prompt template, pipeline stage and metadata, copied from its
-- `turn` event by TurnSignalsJob, so trend queries read one table instead of joining every turn event.
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS prompt_template LowCardinality(String);
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS stage LowCardinality(String);
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS metadata Map(String, String);
