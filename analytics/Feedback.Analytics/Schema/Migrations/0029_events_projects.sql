-- The signals stage finds the projects it has not read yet (SignalsMarks) by asking which projects events holds. Read
-- from the rows, that costs every granule holding more than one project, on every run: in a store of many small
-- projects, most of the table. An aggregate projection keeps a row per project and part, which the engine answers the
-- question from instead. ReplacingMergeTree keeps a projection only if told what to do with it when a merge drops
-- replaced rows: rebuild it from the merged part.
ALTER TABLE events MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';
ALTER TABLE events ADD PROJECTION IF NOT EXISTS projects (SELECT project, count() GROUP BY project);
ALTER TABLE events MATERIALIZE PROJECTION projects;
