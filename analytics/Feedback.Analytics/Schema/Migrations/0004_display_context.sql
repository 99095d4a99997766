-- Display context and pipeline stage (SDK issue): what the user saw when giving feedback, for bias correction.
ALTER TABLE events ADD COLUMN IF NOT EXISTS stage LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS display_position Nullable(UInt16);
ALTER TABLE events ADD COLUMN IF NOT EXISTS displayed_turn_ids Array(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS control_visible Nullable(Bool);
