-- The signals stage's mark of a project (miner 'signals', SignalsMarks) also keeps what the project's window held when
-- the mark was taken, so that a later run reads the project again only when that changed, in any process: how many
-- events were received in the lookback before the mark (an event loaded late adds to them), and the newest review or
-- model change its turns were derived after. Without them every project with events in the last 10 minutes was read
-- again on every run, a few statements each.
ALTER TABLE mining_marks ADD COLUMN IF NOT EXISTS lookback_events UInt64 DEFAULT 0;
ALTER TABLE mining_marks ADD COLUMN IF NOT EXISTS relabelled_at DateTime64(3, 'UTC') DEFAULT toDateTime64(0, 3, 'UTC');
