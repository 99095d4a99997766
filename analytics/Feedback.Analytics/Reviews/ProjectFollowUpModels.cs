using System.Security.Cryptography;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Reviews;

/// <summary>
/// The projects' own follow-up classifiers in <c>follow_up_models</c> (migration 0026), as the reaction predictor keeps
/// its models: trained outside (Feedback.Training, <c>feedback train --project</c>) from what
/// <see cref="ReviewedAsync"/> reads, stored by <see cref="SaveAsync"/>, and loaded by every process that mines
/// (<see cref="TextSignalsJob"/>), so a project without a row keeps the shipped model.
/// </summary>
public sealed class ProjectFollowUpModels(IClickHouse store)
{
    /// <summary>Every follow-up of <paramref name="project"/> a person labelled (a review of 'skip' is no label), in event order.</summary>
    public async Task<IReadOnlyList<ReviewedFollowUp>> ReviewedAsync(string project, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<ReviewedRow>("""
            SELECT r.event_id AS event_id, r.label AS label, f.message AS message, t.request AS request, t.response AS response
            FROM
            (
                SELECT event_id, turn_id, label FROM follow_up_reviews FINAL
                WHERE project = {project:String} AND source = 'review' AND label != 'skip'
            ) AS r
            INNER JOIN
            (
                SELECT event_id, any(message) AS message FROM events -- no FINAL: a re-delivered copy has the same text
                WHERE project = {project:String} AND kind = 'follow_up'
                    AND event_id IN (SELECT event_id FROM follow_up_reviews WHERE project = {project:String} AND source = 'review')
                GROUP BY event_id
            ) AS f ON f.event_id = r.event_id
            INNER JOIN
            (
                SELECT turn_id, any(request) AS request, any(response) AS response FROM events
                WHERE project = {project:String} AND kind = 'turn'
                    AND turn_id IN (SELECT turn_id FROM follow_up_reviews WHERE project = {project:String} AND source = 'review')
                GROUP BY turn_id
            ) AS t ON t.turn_id = r.turn_id
            ORDER BY r.event_id
            """, new { project }, cancellationToken).ConfigureAwait(false);
        // As TextSignalsJob reads a follow-up: the request's last user message, the answer, the follow-up.
        return rows.Select(r => new ReviewedFollowUp(r.EventId, new FollowUp(MiningText.LastUserMessage(r.Request), r.Response, r.Message), r.Label)).ToList();
    }

    /// <summary>Stores a project's trained bundle; from the next mining run it labels the project's follow-ups, old ones included.</summary>
    public async Task<StoredFollowUpModel> SaveAsync(StoredFollowUpModel row, CancellationToken cancellationToken = default)
    {
        await store.InsertAsync("follow_up_models", [row], cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>The version a bundle is stored under: the start of its SHA-256, so retraining on the same reviews relabels nothing.</summary>
    public static string VersionOf(byte[] bundle) => Convert.ToHexStringLower(SHA256.HashData(bundle))[..16];

    /// <summary>The newest model's version of every project of <paramref name="shards"/> that has one (without the bundles).</summary>
    public async Task<IReadOnlyDictionary<string, string>> VersionsAsync(MiningShards shards, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<ModelVersion>("""
            SELECT project, version FROM follow_up_models FINAL
            WHERE cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            """, shards.Parameters, cancellationToken).ConfigureAwait(false)).ToDictionary(v => v.Project, v => v.Version);

    /// <summary>The newest model of <paramref name="project"/>, or null when it has none.</summary>
    public async Task<StoredFollowUpModel?> LatestAsync(string project, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<StoredFollowUpModel>("SELECT * FROM follow_up_models FINAL WHERE project = {project:String}", new { project }, cancellationToken)
            .ConfigureAwait(false)).SingleOrDefault();

    private sealed record ModelVersion(string Project, string Version);

    private sealed record ReviewedRow(Guid EventId, string Label, string Message, IReadOnlyList<RequestMessage> Request, string Response);
}
