using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Tests.Trends;

/// <summary>
/// How many turns of a cohort carry each signal. The signals go to disjoint turns (chosen by a seeded shuffle), so
/// every rate is known exactly: feedback = positive + negative + edited + regenerated + chosen.
/// </summary>
internal sealed record Cohort(string ModelVersion, DateTimeOffset Day, int Turns)
{
    /// <summary>Half by a thumb up, half by a positive follow-up.</summary>
    public int Positive { get; init; }

    /// <summary>Half by a thumb down, half by a correction follow-up.</summary>
    public int Negative { get; init; }

    /// <summary>Edit distance ratios alternate 0.2 and 0.6.</summary>
    public int Edited { get; init; }

    public int Regenerated { get; init; }

    public int Chosen { get; init; }

    /// <summary>Follow-ups that are not feedback (label none).</summary>
    public int NoneFollowUps { get; init; }

    /// <summary>Pairs mined from the cohort's edited turns (at most <see cref="Edited"/>).</summary>
    public int Pairs { get; init; }

    public string Model { get; init; } = "m";
    public string PromptTemplate { get; init; } = "tpl-a";
    public string Stage { get; init; } = "answer";
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string> { ["locale"] = "en" };

    public int Feedback => Positive + Negative + Edited + Regenerated + Chosen;
}

/// <summary>Writes planted cohorts straight into <c>turn_signals</c> and <c>pairs</c> (a seeded generator: same seed, same rows).</summary>
internal sealed class PlantedTurns(string project, int seed = 7)
{
    private readonly Random random = new(seed);

    public List<TurnSignals> Signals { get; } = [];

    public List<PreferencePair> Pairs { get; } = [];

    public PlantedTurns Plant(Cohort c)
    {
        var order = Enumerable.Range(0, c.Turns).ToArray();
        random.Shuffle(order);
        var rows = order.Select(_ => Silent(c)).ToArray();
        var next = 0;
        IEnumerable<int> Take(int n)
        {
            for (var i = 0; i < n; i++) yield return order[next++];
        }
        var k = 0;
        foreach (var i in Take(c.Positive))
            rows[i] = k++ % 2 == 0 ? rows[i] with { ThumbsUp = 1, ReactionPolarity = 1 } : rows[i] with { FollowUpLabel = FollowUpLabels.Positive, FollowUpConfidence = 0.9f };
        k = 0;
        foreach (var i in Take(c.Negative))
            rows[i] = k++ % 2 == 0 ? rows[i] with { ThumbsDown = 1, ReactionPolarity = -1 } : rows[i] with { FollowUpLabel = FollowUpLabels.Correction, FollowUpConfidence = 0.9f };
        k = 0;
        var edited = new List<TurnSignals>();
        foreach (var i in Take(c.Edited))
        {
            rows[i] = rows[i] with { Edited = 1, EditDistanceRatio = k++ % 2 == 0 ? 0.2 : 0.6 };
            edited.Add(rows[i]);
        }
        foreach (var i in Take(c.Regenerated)) rows[i] = rows[i] with { Regenerated = 1 };
        foreach (var i in Take(c.Chosen)) rows[i] = rows[i] with { Chosen = 1 };
        foreach (var i in Take(c.NoneFollowUps)) rows[i] = rows[i] with { FollowUpLabel = FollowUpLabels.None, FollowUpConfidence = 0.8f };
        Signals.AddRange(rows);
        Pairs.AddRange(edited.Take(c.Pairs).Select(t =>
        {
            Guid[] events = [Guid.NewGuid()];
            return new PreferencePair(PreferencePair.IdFor("edit", events), project, "edit", [new RequestMessage("user", "q")], "better", "worse",
                0.9f, t.TurnId, events, t.Model, t.ModelVersion, t.UserId, c.Day);
        }));
        return this;
    }

    public async Task WriteAsync(IClickHouse store)
    {
        await store.InsertAsync("turn_signals", Signals);
        if (Pairs.Count > 0) await store.InsertAsync("pairs", Pairs);
    }

    private TurnSignals Silent(Cohort c)
    {
        var at = c.Day.AddSeconds(random.Next(0, 86_400));
        return new TurnSignals(
            project, "t-" + Guid.NewGuid().ToString("N"), "c-" + random.Next(1_000_000), "u-" + random.Next(1000), c.Model, c.ModelVersion, at,
            ReactionPolarity: 0, ThumbsUp: 0, ThumbsDown: 0, EmojiPolarity: 0, RatingNormalized: null, Edited: 0, EditDistanceRatio: null,
            Regenerated: 0, Chosen: 0, NotChosen: 0, Copied: 0, FollowUpLabel: "", FollowUpConfidence: null, EventCount: 1,
            EventsReceivedAt: at, DerivedAt: at.AddMinutes(1))
        {
            PromptTemplate = c.PromptTemplate,
            Stage = c.Stage,
            Metadata = new MetadataMap(c.Metadata),
        };
    }
}
