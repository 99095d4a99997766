-- Topics of negative feedback (docs/analytics.md, "Topics"), written by Topics/TopicJob.

-- The fitted model of each project's newest fit: text featurizer and k-means centroids (an ML.NET model zip,
-- base64), and which topic id each cluster is. A refit writes a newer row that replaces the older one.
CREATE TABLE IF NOT EXISTS topic_models
(
    project LowCardinality(String),
    fit UInt32,
    model String,
    cluster_topics Array(UInt32),
    turns UInt64,
    fitted_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(fit)
ORDER BY project;

-- Each topic's readable label and top terms as of the fit that last saw it. Ids are never reused in a project.
CREATE TABLE IF NOT EXISTS topics
(
    project LowCardinality(String),
    topic_id UInt32,
    fit UInt32,
    label String,
    terms Array(String),
    fitted_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(fit)
ORDER BY (project, topic_id);

-- Which topic each negative turn belongs to, by the model of fit `fit`; only rows of the project's newest fit
-- count (a turn no longer negative at a refit keeps its older row, which is ignored).
CREATE TABLE IF NOT EXISTS topic_assignments
(
    project LowCardinality(String),
    turn_id String,
    conversation_id String,
    turn_timestamp DateTime64(3, 'UTC'),
    topic_id UInt32,
    fit UInt32,
    distance Float32,
    assigned_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(assigned_at)
ORDER BY (project, fit, turn_id);
