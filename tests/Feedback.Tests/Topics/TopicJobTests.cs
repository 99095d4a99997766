using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Feedback.Simulation;

namespace Feedback.Tests.Topics;

/// <summary>Topics of planted complaint themes, through the real embedded store, each test in a fresh project.</summary>
[Collection(SharedStore.Name)]
public sealed class TopicJobTests(EmbeddedStore store)
{
    [Fact]
    public async Task Topics_recover_the_planted_complaint_themes()
    {
        var (project, _) = await store.NewProjectAsync();
        var themes = await PlantAsync(project, 400, seed: 7);
        using var job = NewJob();

        var result = await job.RefitAsync(project);

        var assigned = await AssignmentsAsync(project);
        Assert.Equal(themes.Count, result.Assigned); // every negative turn, and no positive one
        Assert.Equal(themes.Keys.Order(), assigned.Keys.Order());
        var byTopic = assigned.GroupBy(a => a.Value, a => themes[a.Key]).ToList();
        foreach (var topic in byTopic)
        {
            var dominant = topic.GroupBy(t => t).Max(g => g.Count());
            Assert.True(dominant >= 0.9 * topic.Count(), $"topic {topic.Key} is {dominant} of {topic.Count()} one theme");
        }
        var found = byTopic.Select(t => t.GroupBy(x => x).MaxBy(g => g.Count())!.Key).ToHashSet();
        Assert.Equal(ComplaintTraffic.Themes.Select(t => t.Name).ToHashSet(), found);
    }

    [Fact]
    public async Task Labels_are_distinctive_terms_not_stop_words()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantAsync(project, 300, seed: 3);
        using var job = NewJob();
        await job.RefitAsync(project);

        var view = await new TopicReader(store.Engine).ReadAsync(project, Query());

        Assert.NotEmpty(view.Topics);
        var terms = view.Topics.SelectMany(t => t.Terms).ToList();
        Assert.DoesNotContain("the", terms);
        Assert.DoesNotContain("is", terms);
        Assert.Contains(view.Topics, t => t.Terms.Contains("translation") || t.Terms.Contains("language"));
        Assert.Contains(view.Topics, t => t.Terms.Contains("code") || t.Terms.Contains("compile"));
        Assert.All(view.Topics, t => Assert.NotEqual("", t.Label));
        Assert.All(view.Topics, t => Assert.Equal(t.Size, t.Trend.Sum(p => p.Count)));
        Assert.All(view.Topics, t => Assert.InRange(t.Examples.Count, 1, 3));
        Assert.All(view.Topics.SelectMany(t => t.Examples), e => Assert.NotEqual("", e.Feedback));
    }

    [Fact]
    public async Task New_turns_are_assigned_to_the_existing_topics_between_refits()
    {
        var (project, _) = await store.NewProjectAsync();
        var themes = await PlantAsync(project, 300, seed: 11);
        using var job = NewJob();
        await job.RefitAsync(project);
        var before = await AssignmentsAsync(project);
        var topicOfTheme = TopicOfTheme(before, themes);

        var later = await PlantAsync(project, 60, seed: 12, turnPrefix: "later");
        var result = await job.AssignNewAsync(project);

        var after = await AssignmentsAsync(project);
        Assert.Equal(later.Count, result.Assigned);
        Assert.Equal(0, result.Topics);
        Assert.All(before, b => Assert.Equal(b.Value, after[b.Key])); // old assignments kept
        var correct = later.Count(l => topicOfTheme[l.Value].Contains(after[l.Key]));
        Assert.True(correct >= 0.9 * later.Count, $"{correct} of {later.Count} new turns went to their theme's topic");
        Assert.Equal(0, (await job.AssignNewAsync(project)).Assigned); // nothing new: nothing written
    }

    [Fact]
    public async Task A_refit_keeps_the_topic_ids()
    {
        var (project, _) = await store.NewProjectAsync();
        var themes = await PlantAsync(project, 300, seed: 21);
        using var job = NewJob();
        await job.RefitAsync(project);
        var first = TopicOfTheme(await AssignmentsAsync(project), themes);

        foreach (var (turn, theme) in await PlantAsync(project, 300, seed: 22, turnPrefix: "more")) themes[turn] = theme;
        await job.RefitAsync(project);
        var second = TopicOfTheme(await AssignmentsAsync(project), themes);

        foreach (var theme in ComplaintTraffic.Themes.Select(t => t.Name))
            Assert.True(first[theme].Overlaps(second[theme]), $"theme {theme}: topics {string.Join(",", first[theme])} then {string.Join(",", second[theme])}");
        var fits = await store.Engine.QueryAsync<FitRow>("SELECT fit FROM topic_models FINAL WHERE project = {project:String}", new { project });
        Assert.Equal(2u, fits.Single().Fit);
        var stale = await store.Engine.QueryAsync<FitRow>("SELECT fit FROM topic_assignments WHERE project = {project:String} AND fit < 2", new { project });
        Assert.Empty(stale); // the first fit's assignments are gone
    }

    [Fact]
    public async Task A_restarted_job_refits_from_the_stored_vectors_without_embedding_again()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantAsync(project, 200, seed: 41);
        var before = new CountingEmbedder(MiniLmEmbedder.Shared);
        using (var job = NewJob(before)) await job.RefitAsync(project);
        var assigned = await AssignmentsAsync(project);

        var restarted = new CountingEmbedder(MiniLmEmbedder.Shared); // a new process: nothing in memory
        using (var job = NewJob(restarted)) await job.RefitAsync(project);

        Assert.True(before.Texts > 0);
        Assert.Equal(0, restarted.Texts);
        Assert.Equal(assigned, await AssignmentsAsync(project)); // the same vectors: the same topics for every turn

        // Vectors are kept per project: another project's identical texts are embedded for it.
        var (other, _) = await store.NewProjectAsync();
        await PlantAsync(other, 200, seed: 41);
        var elsewhere = new CountingEmbedder(MiniLmEmbedder.Shared);
        using (var job = NewJob(elsewhere)) await job.RefitAsync(other);
        Assert.True(elsewhere.Texts > 0);
    }

    [Fact]
    public async Task The_job_fits_a_project_once_it_has_enough_negative_turns()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantAsync(project, 20, seed: 31);
        using var job = NewJob();

        var few = await job.UpdateAsync(project);
        await PlantAsync(project, 200, seed: 32, turnPrefix: "enough");
        var enough = await job.UpdateAsync(project);

        Assert.Equal(new TopicRunResult(0, 0), few);
        Assert.True(enough.Topics >= 4);
        Assert.True(enough.Assigned > 100);
    }

    [Fact]
    public void Clusters_take_the_id_of_the_old_topic_they_continue()
    {
        // Cluster 0 continues topic 5; cluster 1 is most of topic 7 and cluster 2 the rest (a split); cluster 3 is new.
        var overlap = new Dictionary<(int, uint), int> { [(0, 5)] = 40, [(1, 7)] = 30, [(2, 7)] = 20, [(0, 7)] = 1 };

        var ids = TopicIdMapping.Map(4, overlap, nextId: 9);

        Assert.Equal([5u, 7u, 9u, 10u], ids);
    }

    [Fact]
    public void A_cluster_that_takes_a_small_part_of_an_old_topic_gets_a_new_id()
    {
        var overlap = new Dictionary<(int, uint), int> { [(0, 1)] = 10, [(0, 2)] = 12, [(1, 1)] = 90 };

        var ids = TopicIdMapping.Map(2, overlap, nextId: 3);

        Assert.Equal([2u, 1u], ids); // 0 is mostly old topic 2's turns (all of them); 1 continues topic 1
    }

    private TopicJob NewJob(ISentenceEmbedder? embedder = null) =>
        new(store.Engine, embedder ?? MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);

    private static TopicQuery Query() => new(PlantedComplaints.Start.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), TrendInterval.Day, 20);

    private Task<Dictionary<string, string>> PlantAsync(string project, int turns, int seed, string turnPrefix = "t") =>
        PlantedComplaints.PlantAsync(store, project, turns, seed, turnPrefix);

    private async Task<Dictionary<string, uint>> AssignmentsAsync(string project) =>
        (await store.Engine.QueryAsync<AssignmentRow>(
            """
            SELECT turn_id, topic_id FROM topic_assignments FINAL
            WHERE project = {project:String} AND fit = (SELECT max(fit) FROM topic_models WHERE project = {project:String})
            """, new { project }))
            .ToDictionary(a => a.TurnId, a => a.TopicId);

    // The topics where most of each theme's turns are.
    private static Dictionary<string, HashSet<uint>> TopicOfTheme(Dictionary<string, uint> assigned, Dictionary<string, string> themes) =>
        assigned.Where(a => themes.ContainsKey(a.Key))
            .GroupBy(a => a.Value, a => themes[a.Key])
            .Select(g => (Topic: g.Key, Theme: g.GroupBy(t => t).MaxBy(t => t.Count())!.Key))
            .GroupBy(t => t.Theme, t => t.Topic)
            .ToDictionary(g => g.Key, g => g.ToHashSet());

    private sealed record AssignmentRow(string TurnId, uint TopicId);

    private sealed record FitRow(uint Fit);
}
