using Feedback.Events;

namespace Feedback.Cli.Demo;

/// <summary>
/// A few realistic conversations sent through the real SDK, so a newcomer sees every signal kind arrive and
/// pairs come out of the miner. Two edits change the text; one changes only whitespace and yields no pair. The
/// regenerated answer gets a thumb up (one regenerate pair); the pick among three titles gives two choice pairs.
/// </summary>
public static class DemoTraffic
{
    public const int ExpectedEditPairs = 2;

    public const int ExpectedChoicePairs = 2;

    public const int ExpectedRegeneratePairs = 1;

    public static void Send(FeedbackClient client)
    {
        var run = Guid.CreateVersion7().ToString("N")[..8];

        // 1. An email draft the user fixes before sending: an edit pair.
        var email = client.TrackTurn(new Turn
        {
            UserId = "user-ada",
            SessionId = $"s-{run}-1",
            ConversationId = $"c-{run}-email",
            Prompt = "Write a short note to my team moving Thursday's planning meeting to Friday at 10.",
            Response = "Hi team, Thursday's planning meeting is moved to Friday at 10am. See you then!",
            Model = "gpt-4o-mini",
            ModelVersion = "2024-07-18",
            LatencyMs = 820,
            InputTokens = 31,
            OutputTokens = 22,
        });
        client.TrackEdit(email, "Hi team, our planning meeting moves from Thursday to Friday at 10:00 in room 4B. Agenda unchanged. See you then!");
        client.TrackCopy(email);

        // 2. A wrong fact, corrected by the user, then a regenerated answer that lands.
        var capital = client.TrackTurn(new Turn
        {
            UserId = "user-bo",
            SessionId = $"s-{run}-2",
            ConversationId = $"c-{run}-geo",
            Prompt = "What is the capital of Australia?",
            Response = "The capital of Australia is Sydney.",
            Model = "gpt-4o-mini",
            ModelVersion = "2024-07-18",
            LatencyMs = 410,
        });
        client.TrackReaction(capital, Reaction.ThumbsDown, "wrong city");
        client.TrackFollowUp(capital, "No, that's wrong - it's Canberra.");
        var retry = client.TrackTurn(new Turn
        {
            UserId = "user-bo",
            SessionId = $"s-{run}-2",
            ConversationId = $"c-{run}-geo",
            PreviousTurnId = capital.TurnId,
            Prompt = "What is the capital of Australia?",
            Response = "You're right, sorry: the capital of Australia is Canberra.",
            Model = "gpt-4o-mini",
            ModelVersion = "2024-07-18",
            LatencyMs = 390,
        });
        client.TrackRegenerate(capital, retry); // then a thumb up on the new answer: a regenerate pair
        client.TrackReaction(retry, Reaction.ThumbsUp);

        // 3. Code the user repairs: an edit pair.
        var code = client.TrackTurn(new Turn
        {
            UserId = "user-cy",
            SessionId = $"s-{run}-3",
            ConversationId = $"c-{run}-code",
            Messages =
            [
                new RequestMessage("system", "You are a concise C# assistant."),
                new RequestMessage("user", "Give me a one-liner that sums the even numbers in an int array xs."),
            ],
            Response = "var sum = xs.Where(x => x % 2 == 1).Sum();",
            Model = "claude-3-5-haiku",
            ModelVersion = "20241022",
            PromptTemplate = "code-helper-v3",
            LatencyMs = 650,
            Metadata = new Dictionary<string, string> { ["app_version"] = "1.4.2", ["topic"] = "code" },
        });
        client.TrackEdit(code, "var sum = xs.Where(x => x % 2 == 0).Sum();");
        client.TrackReaction(code, Reaction.Rated(2, 5));

        // 4. Three alternatives shown, one picked (two choice pairs); and an edit that only re-flows whitespace (no pair).
        var shown = Enumerable.Range(1, 3).Select(i => client.TrackTurn(new Turn
        {
            UserId = "user-di",
            SessionId = $"s-{run}-4",
            ConversationId = $"c-{run}-title",
            Prompt = "Suggest a title for a blog post about sourdough for beginners.",
            Response = i switch { 1 => "Sourdough 101", 2 => "Your First Loaf: Sourdough Without Fear", _ => "Bread." },
            Model = "gpt-4o",
            ModelVersion = "2024-08-06",
        })).ToList();
        client.TrackChoice(shown[1], shown);
        client.TrackEdit(shown[1], "Your First Loaf:  Sourdough Without Fear ");
        client.TrackReaction(shown[1], Reaction.WithEmoji("🎉"));
    }
}
