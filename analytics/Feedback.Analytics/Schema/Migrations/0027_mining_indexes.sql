-- The miners and the label job find their new work as the turns derived since their mark (MiningMarks): one constant
-- bound on derived_at. Rows derived in one run lie in that run's parts, so a minmax index on derived_at lets such a
-- query skip every granule derived before the mark instead of reading the column of the whole table.
ALTER TABLE turn_signals ADD INDEX IF NOT EXISTS derived_time derived_at TYPE minmax GRANULARITY 1;
ALTER TABLE turn_signals MATERIALIZE INDEX derived_time;
-- The same for the same-request miner's judged answers (judged_answers.derived_at is their signals' derived_at).
ALTER TABLE judged_answers ADD INDEX IF NOT EXISTS derived_time derived_at TYPE minmax GRANULARITY 1;
ALTER TABLE judged_answers MATERIALIZE INDEX derived_time;
-- Whether a turn's follow-up or same-request pair is stored already is asked by its turn, which pairs are not sorted
-- by (project, pair_id): a bloom filter index skips the granules without that turn instead of reading the project.
ALTER TABLE pairs ADD INDEX IF NOT EXISTS pairs_turn_id turn_id TYPE bloom_filter(0.01) GRANULARITY 1;
ALTER TABLE pairs MATERIALIZE INDEX pairs_turn_id;
