using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Reviews;
using Feedback.Events;
using Feedback.Tests.Mining;
using Feedback.Training.FollowUps;
using Xunit.Abstractions;

namespace Feedback.Tests.Reviews;

/// <summary>
/// A project's own follow-up model (docs/reviews.md, "Per-project model"), through the real store: in a coding
/// assistant's project "stamped" and "merge it" approve an answer and "needs a rebase" or "CI is red" correct it, which
/// the shipped model reads as nothing or a complaint. Forty reviewed follow-ups teach the project's model; it labels
/// new follow-ups with the same phrasing in other words better than the shipped one, the next mining run relabels the
/// project's follow-ups with it, and another project keeps the shipped model.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ProjectModelTests(EmbeddedStore store, ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly (string Request, string Answer)[] Tasks =
    [
        ("Add pagination to the list endpoint.", "Added limit and cursor parameters to the list endpoint, with tests."),
        ("Refactor the retry loop in fetcher.go to use exponential backoff.", "Here is the loop with exponential backoff and jitter."),
        ("Add a null check before we dereference the config.", "Added the null check and a test for a missing config."),
        ("Fix the flaky test in the scheduler package.", "I pinned the clock in the test so it no longer depends on wall time."),
        ("Rename the Handler type to Router.", "Renamed Handler to Router across the package and its callers."),
        ("Bump the Go version to 1.23.", "Bumped go.mod and the CI image to 1.23."),
        ("Split the parser into two files.", "Moved the lexer into lexer.go and kept the parser in parser.go."),
        ("Cache the user lookups in the auth middleware.", "Added an LRU cache of 10k entries in front of the user lookup."),
        ("Make the CSV export stream instead of buffering.", "The export now writes rows to the response as it reads them."),
        ("Log the request id in every error.", "Every error log line now carries the request id from the context."),
    ];

    // What the project's people reviewed: its approvals and its corrections, as its users write them.
    private static readonly string[] ReviewedApprovals =
    [
        "stamp", "stamped", "stamped, merging", "merge it", "merging now", "queue it for merge", "stamp, merge it",
        "ok to land", "into the merge queue it goes", "stamped, queue it", "merge it please", "stamp from me",
        "merging", "ok to land this", "stamped and queued", "queue it", "merge when ready", "stamp stamp", "ok, merge it", "land it",
    ];

    private static readonly string[] ReviewedCorrections =
    [
        "needs a rebase", "rebase onto main", "CI is red", "rebase, main moved", "needs a rebase, conflicts in go.mod",
        "CI red again", "rebase it first", "needs rebasing", "red on the lint job", "still red on CI",
        "needs a rebase on main", "CI is red on the tests", "rebase please", "red build", "rebase onto the release branch",
        "CI is red, lint", "needs a rebase again", "red CI", "rebase and push again", "CI red on go vet",
    ];

    // New follow-ups no one reviewed: the same phrasing, other words around it.
    private static readonly (string Followup, string Label)[] Heldout =
    [
        ("stamped from my side, merging after lunch", FollowUpLabels.Positive),
        ("ok, merge it into release", FollowUpLabels.Positive),
        ("queue it for merge tonight", FollowUpLabels.Positive),
        ("stamp. into the merge queue", FollowUpLabels.Positive),
        ("merging this one now", FollowUpLabels.Positive),
        ("ok to land once the bot is done", FollowUpLabels.Positive),
        ("stamped it, merging", FollowUpLabels.Positive),
        ("merge it before the freeze", FollowUpLabels.Positive),
        ("stamp, land it", FollowUpLabels.Positive),
        ("stamped, queue it up", FollowUpLabels.Positive),
        ("this needs a rebase before anything else", FollowUpLabels.Correction),
        ("CI is red on the integration job", FollowUpLabels.Correction),
        ("rebase onto main please, it drifted", FollowUpLabels.Correction),
        ("red build on CI again", FollowUpLabels.Correction),
        ("needs a rebase, main has the new go.sum", FollowUpLabels.Correction),
        ("CI is red after your change", FollowUpLabels.Correction),
        ("rebase it, then I look again", FollowUpLabels.Correction),
        ("still red on the lint job", FollowUpLabels.Correction),
        ("needs rebasing on the release branch", FollowUpLabels.Correction),
        ("CI red on the race detector", FollowUpLabels.Correction),
    ];

    [Fact]
    public async Task A_project_model_trained_on_its_reviews_labels_its_new_follow_ups_better_and_another_project_keeps_the_shipped_model()
    {
        var (project, _) = await store.NewProjectAsync();
        var (other, _) = await store.NewProjectAsync();
        var events = new List<FeedbackEvent>();
        var reviewed = ReviewedApprovals.Select(f => (f, FollowUpLabels.Positive)).Concat(ReviewedCorrections.Select(f => (f, FollowUpLabels.Correction)))
            .Select((r, i) => (Event: Conversation(events, project, $"r{i}", Tasks[i % Tasks.Length], r.f), r.Item2)).ToList();
        var heldout = Heldout.Select((h, i) => (Id: $"h{i}", Task: Tasks[(i + 3) % Tasks.Length], h.Followup, h.Label)).ToList();
        foreach (var h in heldout)
        {
            Conversation(events, project, h.Id, h.Task, h.Followup);
            Conversation(events, other, h.Id, h.Task, h.Followup);
        }
        await new EventStore(store.Engine).AppendAsync(events);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        var shippedLabels = await HeldoutLabelsAsync(project);
        var otherBefore = await HeldoutLabelsAsync(other);
        Assert.Equal(shippedLabels, otherBefore); // one model so far
        var shippedAccuracy = Accuracy(shippedLabels, heldout.Select(h => h.Label).ToList());

        // Too few reviews: refused, nothing stored.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ProjectFollowUpTraining.RunAsync(store.Engine, TimeProvider.System, other));
        Assert.Contains($"at least {ProjectFollowUpTraining.MinimumReviews}", refused.Message, StringComparison.Ordinal);

        var outcome = await new ReviewStore(store.Engine, TimeProvider.System).SubmitAsync(project, "ana@example.com",
            reviewed.Select(r => new FollowUpReview(r.Event.EventId!.Value, r.Item2)).ToList());
        Assert.Equal((40, 0), (outcome.Stored, outcome.Rejected.Count));
        // Every 16th example of the shipped corpus (600, every label): embedding the corpus and six trainings over it are
        // most of the time, and all of it took 14 minutes on a busy 2-core machine. `feedback train --project` trains on
        // all of it (docs/reviews.md).
        var corpus = FollowUpCorpus.Load(FollowUpCorpus.Train).Where((_, i) => i % 16 == 0).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (stored, figures) = await ProjectFollowUpTraining.RunAsync(store.Engine, TimeProvider.System, project, corpus: corpus);
        output.WriteLine(ProjectFollowUpTraining.Describe(stored, figures, corpus.Count) + $"(trained in {clock.Elapsed.TotalSeconds:F0} s)");
        Assert.Equal(40, figures.Reviews);
        Assert.True(figures.ProjectMacroF1 > figures.ShippedMacroF1, $"k-fold macro-F1 {figures.ProjectMacroF1:F3} vs shipped {figures.ShippedMacroF1:F3}");

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        var adaptedLabels = await HeldoutLabelsAsync(project);
        var adaptedAccuracy = Accuracy(adaptedLabels, heldout.Select(h => h.Label).ToList());
        output.WriteLine($"held-out ({heldout.Count} new follow-ups): shipped model {shippedAccuracy:F3}, project model {adaptedAccuracy:F3}");
        Assert.True(adaptedAccuracy > shippedAccuracy, $"project model {adaptedAccuracy:F3} vs shipped {shippedAccuracy:F3}");
        Assert.True(adaptedAccuracy >= 0.8, $"project model {adaptedAccuracy:F3}");
        Assert.Equal([stored.Version], await ModelsAsync(project)); // every follow-up of the project, relabelled
        // The other project: the shipped model, the same labels.
        Assert.Equal(otherBefore, await HeldoutLabelsAsync(other));
        Assert.Equal([""], await ModelsAsync(other));
    }

    private static FeedbackEvent Conversation(List<FeedbackEvent> events, string project, string id, (string Request, string Answer) task, string followup)
    {
        FeedbackEvent Event(string kind, int second) =>
            StoredEvents.InConversation(project, id, kind, id + "-t", T0.AddMinutes(events.Count).AddSeconds(second), _ => { });
        var turn = Event(EventKinds.Turn, 0);
        turn.Request = [new RequestMessage("user", task.Request)];
        turn.Response = task.Answer;
        turn.Model = "coder";
        turn.ModelVersion = "v1";
        var followUp = Event(EventKinds.FollowUp, 30);
        followUp.Message = followup;
        events.AddRange([turn, followUp]);
        return followUp;
    }

    /// <summary>The held-out turns' follow-up labels as the miner derived them, by turn.</summary>
    private async Task<List<string>> HeldoutLabelsAsync(string project)
    {
        var rows = await store.Engine.QueryAsync<LabelRow>("""
            SELECT turn_id, follow_up_label, follow_up_source FROM turn_signals FINAL
            WHERE project = {project:String} AND startsWith(turn_id, 'h')
            """, new { project });
        Assert.All(rows, r => Assert.Equal(FollowUpLabelSources.Model, r.FollowUpSource));
        var byTurn = rows.ToDictionary(r => r.TurnId, r => r.FollowUpLabel);
        return Heldout.Select((_, i) => byTurn[$"h{i}-t"]).ToList();
    }

    private async Task<List<string>> ModelsAsync(string project) =>
        (await store.Engine.QueryAsync<ModelRow>(
            "SELECT DISTINCT follow_up_model FROM text_signals FINAL WHERE project = {project:String} AND kind = 'follow_up'", new { project }))
        .Select(r => r.FollowUpModel).ToList();

    private static double Accuracy(List<string> labels, List<string> gold) => labels.Zip(gold).Count(p => p.First == p.Second) / (double)gold.Count;

    private sealed record LabelRow(string TurnId, string FollowUpLabel, string FollowUpSource);

    private sealed record ModelRow(string FollowUpModel);
}
