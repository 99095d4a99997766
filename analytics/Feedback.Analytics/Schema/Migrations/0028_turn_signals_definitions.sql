-- What trends, the drill-down and the conversation view call feedback, positive and negative (docs/analytics.md,
-- "Definitions"), once, as columns of the turn: every statement that counts or shows them reads these names instead
-- of repeating the conditions. ALIAS columns are computed when read and never stored, so a change of definition is
-- one MODIFY COLUMN and no rewrite of the table; SELECT * leaves them out.
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS is_feedback UInt8 ALIAS thumbs_up + thumbs_down > 0 OR emoji_polarity != 0 OR rating_normalized IS NOT NULL OR edited = 1 OR regenerated = 1 OR chosen + not_chosen > 0 OR copied = 1 OR (follow_up_label != '' AND follow_up_label != 'none');
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS is_positive UInt8 ALIAS reaction_polarity > 0 OR follow_up_label = 'positive';
ALTER TABLE turn_signals ADD COLUMN IF NOT EXISTS is_negative UInt8 ALIAS reaction_polarity < 0 OR follow_up_label IN ('rephrase', 'correction', 'complaint');
