using System.Collections.Concurrent;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Microsoft.Extensions.Logging;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Keeps each project's topics of negative feedback (docs/analytics.md, "Topics"). After every mining run new
/// negative turns are assigned to the current fit's nearest topic; a project is (re)fitted when it first has
/// <see cref="TopicOptions.MinTurns"/> negative turns, when they have grown <see cref="TopicOptions.RefitGrowth"/>-fold
/// since the last fit, on request, or when its stored model is of an older format. A refit keeps topic ids
/// (<see cref="TopicIdMapping"/>); turns near no topic go to topic <see cref="OtherTopic"/> in every fit.
/// </summary>
public sealed partial class TopicJob(
    IClickHouse store, ISentenceEmbedder embedder, ComplaintKinds kinds, TopicOptions options, TimeProvider clock,
    ITopicLabeler? labeler = null, ILogger<TopicJob>? logger = null) : IDisposable
{
    /// <summary>The topic id of turns near no topic (<see cref="TopicModel.Other"/>); real topics count from 1.</summary>
    public const uint OtherTopic = 0;

    /// <summary>The label of <see cref="OtherTopic"/>.</summary>
    public const string OtherLabel = "other: near no topic";

    private readonly NegativeTurns negatives = new(store);
    private readonly TopicStore topics = new(store);
    private readonly SemaphoreSlim gate = new(1, 1); // one fit or assignment at a time
    private readonly ConcurrentDictionary<string, (uint Fit, TopicModel Model, IReadOnlyList<uint> ClusterTopics)> models = new();
    private readonly ConcurrentDictionary<string, StoredEmbeddings> vectors = new();

    /// <summary>Fits the projects that need it and assigns new negative turns everywhere else.</summary>
    public Task<TopicRunResult> RunAsync(CancellationToken cancellationToken = default) => RunAsync(MiningShards.All, cancellationToken);

    /// <summary>What <see cref="RunAsync(CancellationToken)"/> does, for the projects of <paramref name="shards"/> only.</summary>
    public async Task<TopicRunResult> RunAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var counts = await negatives.CountAsync(cancellationToken).ConfigureAwait(false);
        var fits = await topics.FitsAsync(cancellationToken).ConfigureAwait(false);
        var result = new TopicRunResult(0, 0);
        var mine = (await store.QueryAsync<ProjectRow>("""
            SELECT project FROM (SELECT arrayJoin({projects:Array(String)}) AS project)
            WHERE cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            """, shards.With(new { projects = counts.Keys.ToList() }), cancellationToken).ConfigureAwait(false)).Select(r => r.Project).ToHashSet();
        foreach (var (project, negative) in counts.Where(c => mine.Contains(c.Key)))
        {
            try
            {
                result += await UpdateAsync(project, negative, fits.GetValueOrDefault(project), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One project's failure must not keep topics from every project after it.
                if (logger is not null) LogProjectFailed(logger, project, e);
            }
        }
        return result;
    }

    /// <summary>What <see cref="RunAsync"/> does for one project.</summary>
    public async Task<TopicRunResult> UpdateAsync(string project, CancellationToken cancellationToken = default) =>
        await UpdateAsync(project,
            (await negatives.CountAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(project),
            (await topics.FitsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(project),
            cancellationToken).ConfigureAwait(false);

    private async Task<TopicRunResult> UpdateAsync(string project, long negative, TopicStore.FitInfo? fit, CancellationToken cancellationToken)
    {
        if (fit is null && negative < options.MinTurns) return new(0, 0);
        return fit is null || negative >= fit.Turns * options.RefitGrowth || await CurrentModelAsync(project, cancellationToken).ConfigureAwait(false) is null
            ? await RefitAsync(project, cancellationToken).ConfigureAwait(false)
            : await AssignNewAsync(project, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Assigns the project's negative turns that the current fit has not seen yet.</summary>
    public async Task<TopicRunResult> AssignNewAsync(string project, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await CurrentModelAsync(project, cancellationToken).ConfigureAwait(false) is not { } current) return new(0, 0);
            var assigned = 0;
            await foreach (var batch in negatives.ReadAsync(project, options.BatchSize, current.Fit, cancellationToken).ConfigureAwait(false))
            {
                var now = clock.GetUtcNow();
                var rows = batch.Zip(await AssignAsync(project, current.Model, batch.Select(t => t.Text).ToList(), cancellationToken).ConfigureAwait(false),
                    (t, a) => Assignment(project, t, TopicOf(current.ClusterTopics, a.Cluster), current.Fit, a.Distance, now)).ToList();
                await topics.AssignAsync(rows, cancellationToken).ConfigureAwait(false);
                assigned += rows.Count;
            }
            return new(assigned, 0);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Fits a new model on a sample of all the project's negative turns, assigns every one of them, maps the new
    /// clusters to the old topic ids and makes the fit current. Does nothing below <see cref="TopicOptions.MinTurns"/>.
    /// </summary>
    public async Task<TopicRunResult> RefitAsync(string project, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // First pass: a uniform sample (reservoir, seeded) to fit on.
            var random = new Random(1);
            var sample = new List<TurnText>();
            var size = Math.Min(options.FitSample, AverageLinkage.MaxTurns);
            var total = 0;
            await foreach (var batch in negatives.ReadAsync(project, options.BatchSize, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var turn in batch)
                {
                    if (sample.Count < size) sample.Add(turn.Text);
                    else if (random.Next(total + 1) is var slot && slot < size) sample[slot] = turn.Text;
                    total++;
                }
            }
            var previous = (await topics.FitsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(project);
            // Too few turns for topics, unless a fit exists (one of an older format is replaced whatever the count).
            if (total == 0 || (total < options.MinTurns && previous is null)) return new(0, 0);
            var stored = VectorsOf(project);
            await stored.LoadAsync(EmbeddedTexts(sample), cancellationToken).ConfigureAwait(false);
            var model = TopicModel.Fit(sample, stored, kinds, options);
            await stored.SaveAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var labels = await LabelsAsync(model, cancellationToken).ConfigureAwait(false); // before anything is written

            // Second pass: assign every turn, counting how the clusters overlap the previous fit's topics.
            var fit = (previous?.Fit ?? 0) + 1;
            var assigned = new List<(NegativeTurn Turn, int Cluster, float Distance)>(total);
            var overlap = new Dictionary<(int, uint), int>();
            await foreach (var batch in negatives.ReadAsync(project, options.BatchSize, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var clusters = await AssignAsync(project, model, batch.Select(t => t.Text).ToList(), cancellationToken).ConfigureAwait(false);
                var before = previous is null
                    ? new Dictionary<string, uint>()
                    : await topics.TopicsOfAsync(project, previous.Fit, batch.Select(t => t.TurnId).ToList(), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    assigned.Add((batch[i] with { Request = "", Feedback = "", Response = "" }, clusters[i].Cluster, clusters[i].Distance));
                    if (clusters[i].Cluster != TopicModel.Other && before.TryGetValue(batch[i].TurnId, out var old) && old != OtherTopic)
                        overlap[(clusters[i].Cluster, old)] = overlap.GetValueOrDefault((clusters[i].Cluster, old)) + 1;
                }
            }
            var ids = TopicIdMapping.Map(model.Count, overlap, await topics.NextTopicIdAsync(project, cancellationToken).ConfigureAwait(false));

            var now = clock.GetUtcNow();
            foreach (var chunk in assigned.Chunk(options.BatchSize))
                await topics.AssignAsync(chunk.Select(a => Assignment(project, a.Turn, TopicOf(ids, a.Cluster), fit, a.Distance, now)).ToList(), cancellationToken).ConfigureAwait(false);
            var rows = model.Terms.Select((terms, cluster) => new TopicRow(project, ids[cluster], fit, labels[cluster], terms, now))
                .Append(new TopicRow(project, OtherTopic, fit, OtherLabel, [], now))
                .ToList();
            await topics.PublishAsync(project, new TopicFit(project, fit, Convert.ToBase64String(model.Save()), ids, assigned.Count, now), rows, cancellationToken)
                .ConfigureAwait(false);
            models[project] = (fit, model, ids);
            return new(assigned.Count, model.Count);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<(uint Fit, TopicModel Model, IReadOnlyList<uint> ClusterTopics)?> CurrentModelAsync(string project, CancellationToken cancellationToken)
    {
        var fit = (await topics.FitsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(project);
        if (fit is null) return null;
        if (models.TryGetValue(project, out var cached) && cached.Fit == fit.Fit) return cached;
        var stored = await topics.ModelAsync(project, cancellationToken).ConfigureAwait(false);
        if (stored is null || TopicModel.Load(Convert.FromBase64String(stored.Model), VectorsOf(project), kinds) is not { } model) return null;
        return models[project] = (stored.Fit, model, stored.ClusterTopics);
    }

    // With the vectors the store keeps: read those it has, embed the rest, keep them.
    private async Task<IReadOnlyList<(int Cluster, float Distance)>> AssignAsync(
        string project, TopicModel model, IReadOnlyList<TurnText> texts, CancellationToken cancellationToken)
    {
        var stored = VectorsOf(project);
        await stored.LoadAsync(EmbeddedTexts(texts), cancellationToken).ConfigureAwait(false);
        var clusters = model.Assign(texts);
        await stored.SaveAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return clusters;
    }

    private StoredEmbeddings VectorsOf(string project) => vectors.GetOrAdd(project, p => new StoredEmbeddings(store, embedder, p));

    // Every text the model may embed of a turn (TopicModel and ComplaintKinds): the words, the answer's opening, and
    // the request (embedded only when TopicOptions.RequestWeight is set; otherwise a lookup that finds nothing).
    private static IEnumerable<string> EmbeddedTexts(IEnumerable<TurnText> texts) =>
        texts.SelectMany(t => new[] { t.Feedback, TextOpening.Of(t.Response), t.Request });

    // The built-in labels, or the labeler's where it gave one.
    private async Task<IReadOnlyList<string>> LabelsAsync(TopicModel model, CancellationToken cancellationToken)
    {
        if (labeler is null || model.Count == 0) return model.Labels;
        var drafts = Enumerable.Range(0, model.Count).Select(c => new TopicDraft(model.Labels[c], model.Terms[c], model.Examples[c])).ToList();
        IReadOnlyList<string?>? written = null;
        try
        {
            written = await labeler.LabelAsync(drafts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (logger is not null) LogLabelerFailed(logger, e);
        }
        return model.Labels.Select((label, c) => written?.ElementAtOrDefault(c) ?? label).ToList();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Topics of project {Project} could not be updated")]
    private static partial void LogProjectFailed(ILogger logger, string project, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic labeler failed; the built-in labels stay")]
    private static partial void LogLabelerFailed(ILogger logger, Exception exception);

    private static uint TopicOf(IReadOnlyList<uint> clusterTopics, int cluster) => cluster == TopicModel.Other ? OtherTopic : clusterTopics[cluster];

    private static TopicAssignment Assignment(string project, NegativeTurn turn, uint topic, uint fit, float distance, DateTimeOffset now) =>
        new(project, turn.TurnId, turn.ConversationId, turn.TurnTimestamp, topic, fit, distance, now);

    private sealed record ProjectRow(string Project);
}
