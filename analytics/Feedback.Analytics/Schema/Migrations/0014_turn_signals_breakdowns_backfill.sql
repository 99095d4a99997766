-- Rows derived before 0013 get their turn's breakdowns: a newer version of the same row (ReplacingMergeTree on
-- derived_at), every other column unchanged. Turns without template, stage or metadata need no new row.
INSERT INTO turn_signals
    (project, turn_id, conversation_id, user_id, model, model_version, turn_timestamp, reaction_polarity, thumbs_up,
     thumbs_down, emoji_polarity, rating_normalized, edited, edit_distance_ratio, regenerated, chosen, not_chosen, copied,
     follow_up_label, follow_up_confidence, event_count, events_received_at, derived_at, prompt_template, stage, metadata)
SELECT
    s.project, s.turn_id, s.conversation_id, s.user_id, s.model, s.model_version, s.turn_timestamp, s.reaction_polarity,
    s.thumbs_up, s.thumbs_down, s.emoji_polarity, s.rating_normalized, s.edited, s.edit_distance_ratio, s.regenerated,
    s.chosen, s.not_chosen, s.copied, s.follow_up_label, s.follow_up_confidence, s.event_count, s.events_received_at,
    greatest(s.derived_at + toIntervalMillisecond(1), now64(3, 'UTC')), t.turn_prompt_template, t.turn_stage, t.turn_metadata
FROM (SELECT * FROM turn_signals FINAL) AS s
INNER JOIN
(
    SELECT project, turn_id, any(prompt_template) AS turn_prompt_template, any(stage) AS turn_stage, any(metadata) AS turn_metadata
    FROM events FINAL
    WHERE kind = 'turn' AND (prompt_template != '' OR stage != '' OR notEmpty(metadata))
    GROUP BY project, turn_id
) AS t ON t.project = s.project AND t.turn_id = s.turn_id;
