-- A project's own follow-up classifier (issue 13, docs/reviews.md "Per-project model"): the shipped corpus plus the
-- project's reviewed follow-ups, trained by `feedback train --project P`. One bundle per project (the classifier's
-- zip, base64), with its version (a hash of the bundle) and its k-fold figures on the project's reviews next to the
-- shipped model's. A newer training replaces the older (version: trained_at). The shipped model labels every
-- project without a row.
CREATE TABLE IF NOT EXISTS follow_up_models
(
    project LowCardinality(String),
    trained_at DateTime64(3, 'UTC'),
    version String,
    model String,
    reviews UInt32,
    review_weight Float32,
    folds UInt8,
    project_macro_f1 Float64,
    project_accuracy Float64,
    shipped_macro_f1 Float64,
    shipped_accuracy Float64
)
ENGINE = ReplacingMergeTree(trained_at)
ORDER BY project;

-- Which classifier labelled a follow-up: '' the shipped one, else the version of the project's model. TextSignalsJob
-- labels again the follow-ups of a project whose model version differs from the one stored here.
ALTER TABLE text_signals ADD COLUMN IF NOT EXISTS follow_up_model LowCardinality(String);
