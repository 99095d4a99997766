using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Events;
using Feedback.Tests.Mining;

namespace Feedback.Tests.Reviews;

/// <summary>
/// Plants conversations of one turn and one user follow-up each in a project and mines them, so each follow-up is in
/// the project's review queue. Follow-up <c>i</c> reads <c>#i …</c> (two digits), so a browser script can tell which
/// one it is shown; some turns get a thumb up, so some positive-sounding and some critical follow-ups disagree.
/// </summary>
internal static class ReviewSeed
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Phrasings =
    [
        "perfect, thank you so much!",
        "No, that's wrong - the capital is Canberra, not Sydney.",
        "that answer is useless, it doesn't even run",
        "I meant the other one, in Python please",
        "what do you mean by idempotent here?",
        "ok",
        "can you say it again but shorter",
        "great, that worked",
    ];

    /// <summary>The text of follow-up <paramref name="i"/>; <paramref name="hostile"/> makes it carry markup.</summary>
    public static string FollowUpText(int i, string? hostile = null) => $"#{i:00} {hostile ?? Phrasings[i % Phrasings.Length]}";

    /// <summary>Plants <paramref name="count"/> follow-ups (follow-up <c>i</c> of <paramref name="hostile"/>'s key reads its value) and mines.</summary>
    /// <returns>Each follow-up's event id and text.</returns>
    public static async Task<IReadOnlyList<(Guid EventId, string Text)>> PlantAsync(EmbeddedStore store, string project, int count, IReadOnlyDictionary<int, string>? hostile = null)
    {
        var events = new List<FeedbackEvent>();
        var followUps = new List<(Guid, string)>();
        var second = 0;
        FeedbackEvent Event(string kind, string conversation, string turn, Action<FeedbackEvent> set)
        {
            var e = StoredEvents.InConversation(project, conversation, kind, turn, T0.AddSeconds(second += 10), set);
            events.Add(e);
            return e;
        }
        for (var i = 0; i < count; i++)
        {
            var conversation = $"c{i:00}";
            var turn = $"t{i:00}";
            Event(EventKinds.Turn, conversation, turn, e =>
            {
                e.Request = [new RequestMessage("user", $"Question {i}: what is the capital of Australia?")];
                e.Response = $"Answer {i}: the capital of Australia is Sydney.";
                e.Model = "m";
                e.ModelVersion = "v1";
            });
            if (i % 5 == 0) Event(EventKinds.Reaction, conversation, turn, e => e.Thumb = Thumbs.Up);
            var text = FollowUpText(i, hostile?.GetValueOrDefault(i));
            var followUp = Event(EventKinds.FollowUp, conversation, turn, e => e.Message = text);
            followUps.Add((followUp.EventId!.Value, text));
        }
        await new EventStore(store.Engine).AppendAsync(events);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        return followUps;
    }
}
