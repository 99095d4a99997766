using System.Text;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Simulation;

/// <summary>
/// Seeded conversations between simulated users and models of uneven quality, with every signal kind the SDK
/// records and the pairs that mining should find (docs/mining.md, "Simulator"). Honest users react to what the
/// answer deserves: they approve good answers (thumbs, emoji, ratings, copies, thanks) and fix, regenerate,
/// correct, rephrase or complain about bad ones. A few users react at random. Nothing here reads the miners.
/// </summary>
public sealed class ConversationSimulator(SimulationOptions options)
{
    private static readonly (string Model, string Version, double GoodShare, string? System)[] Models =
    [
        ("acme-chat", "v1", 0.55, null),
        ("acme-chat", "v2", 0.75, null),
        ("helper-7b", "2026-10", 0.6, "You are a helpful assistant. Answer briefly."),
    ];

    /// <summary>Every conversation, all pairs expected (including those across conversations), held in memory.</summary>
    public static SimulatedRun Run(SimulationOptions options)
    {
        var conversations = new ConversationSimulator(options).Conversations().ToList();
        var turns = conversations.SelectMany(c => c.Turns).ToList();
        return new SimulatedRun(
            conversations.SelectMany(c => c.Events).ToList(), turns,
            [.. conversations.SelectMany(c => c.Pairs), .. SameRequestPairs(turns)]);
    }

    /// <summary>The conversations one by one (for runs too big to hold); pairs across conversations are not included.</summary>
    public IEnumerable<SimulatedConversation> Conversations()
    {
        var rng = new Random(options.Seed);
        var users = options.Users ?? Math.Max(1, options.Conversations / 5);
        var randomReactors = (int)Math.Ceiling(users * options.RandomReactors); // users 0 .. randomReactors-1
        for (var i = 0; i < options.Conversations; i++)
        {
            var user = rng.Next(users);
            var start = options.Start + options.Spacing * i + TimeSpan.FromSeconds(rng.Next(Math.Max(1, (int)options.Spacing.TotalSeconds)));
            yield return new Conversation(options, rng, i, $"user-{user}", honest: user >= randomReactors, start).Play();
        }
    }

    /// <summary>
    /// Same-request pairs: for each request (normalised as the miner documents), every answer that is bad and got
    /// a negative reaction is rejected in favour of a good answer that got a positive one, reactions compared with
    /// reactions (thumbs, emoji) and ratings with ratings.
    /// </summary>
    public static IEnumerable<ExpectedPair> SameRequestPairs(IEnumerable<SimulatedTurn> turns)
    {
        foreach (var group in turns.GroupBy(t => NormalizedRequest(t.Request)))
        {
            foreach (var (negative, positive, source) in new[]
                     {
                         (Reacted.Negative, Reacted.Positive, PairSources.SameRequest),
                         (Reacted.NegativeRating, Reacted.PositiveRating, PairSources.SameRequestRating),
                     })
            {
                var approved = group.Where(t => t.Good && t.Reaction == positive).Select(t => t.Response).ToHashSet();
                if (approved.Count == 0) continue;
                foreach (var t in group.Where(t => !t.Good && t.Reaction == negative))
                    yield return new ExpectedPair(source, t.TurnId, t.Response, approved);
            }
        }
    }

    /// <summary>Lower case, punctuation dropped, whitespace runs made one space, per message with its role.</summary>
    public static string NormalizedRequest(IEnumerable<RequestMessage> request) =>
        string.Join("\n", request.Select(m => m.Role + ": " + Normalize(m.Content)));

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            builder.Append(char.IsPunctuation(c) || char.IsWhiteSpace(c) ? ' ' : c);
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>One conversation being played out: a user, a model, a clock, and what has happened so far.</summary>
    private sealed class Conversation(SimulationOptions options, Random rng, int index, string userId, bool honest, DateTimeOffset start)
    {
        private readonly List<FeedbackEvent> events = [];
        private readonly List<SimulatedTurn> turns = [];
        private readonly List<ExpectedPair> pairs = [];
        private readonly string conversationId = $"sim{options.Seed}-c{index}";
        private readonly (string Model, string Version, double GoodShare, string? System) model = Phrasing.Pick(rng, Models);
        private DateTimeOffset clock = start;
        private int turnNumber;

        public SimulatedConversation Play()
        {
            var topic = rng.Next(Topics.All.Count);
            var request = Phrasing.Request(rng, Topics.All[topic]);
            for (var left = rng.Next(1, 5); left > 0; left--)
            {
                // What the user does decides what they say next: a new topic, or about this one.
                var next = honest ? HonestTurn(topic, request) : RandomTurn(topic, request);
                if (next is null) break;
                (topic, request) = next.Value;
            }
            return new SimulatedConversation(events, turns, pairs);
        }

        // A user who reacts at random: thumbs up or down whatever the answer, nothing else.
        private (int, string)? RandomTurn(int topic, string request)
        {
            var turn = Turn(topic, request, Good());
            if (rng.NextDouble() < 0.6) Reaction(turn, rng.NextDouble() < 0.5 ? Reacted.Positive : Reacted.Negative);
            return NextTopic(turn);
        }

        private (int, string)? HonestTurn(int topic, string request)
        {
            if (rng.NextDouble() < 0.08) return Choice(topic, request);
            var turn = Turn(topic, request, Good());
            return turn.Good ? Approve(turn) : Disapprove(turn);
        }

        // A good answer: approved some way, or simply followed by the next request.
        private (int, string)? Approve(SimulatedTurn turn)
        {
            var r = rng.NextDouble();
            if (r < 0.3) Reaction(turn, Reacted.Positive);
            else if (r < 0.4) Reaction(turn, Reacted.PositiveRating);
            else if (r < 0.5) Feedback(turn, EventKinds.Copy, e => e.CopiedText = turn.Response);
            else if (r < 0.6) FollowUp(turn, Phrasing.PositiveFollowUp(rng));
            else if (r < 0.65) Feedback(turn, EventKinds.Edit, e => e.EditedResponse = Phrasing.WhitespaceOnly(rng, turn.Response));
            else if (r < 0.7) FollowUp(turn, Phrasing.Clarification(rng, Topics.All[turn.TopicIndex])); // a question about a fine answer
            return NextTopic(turn);
        }

        private (int, string)? Disapprove(SimulatedTurn turn)
        {
            var topic = Topics.All[turn.TopicIndex];
            var r = rng.NextDouble();
            if (r < 0.12)
            {
                if (rng.NextDouble() < 0.3) Reaction(turn, Reacted.Negative);
                var edited = Phrasing.UserEdit(rng, topic);
                Feedback(turn, EventKinds.Edit, e => e.EditedResponse = edited);
                pairs.Add(new(PairSources.Edit, turn.TurnId, turn.Response, Set(edited)));
                return NextTopic(turn);
            }
            if (r < 0.3) return Regenerate(turn);
            if (r < 0.55) return Restate(turn, topic);
            if (r < 0.65)
            {
                if (rng.NextDouble() < 0.5) Reaction(turn, Reacted.Negative);
                FollowUp(turn, Phrasing.Complaint(rng));
                return null; // gives up
            }
            if (r < 0.72) FollowUp(turn, Phrasing.Clarification(rng, topic));
            else if (r < 0.85) Reaction(turn, Reacted.Negative);
            else if (r < 0.92) Reaction(turn, Reacted.NegativeRating);
            return NextTopic(turn);
        }

        // Regenerate: the old answer replaced by a new one to the same request, approved when it is good.
        private (int, string)? Regenerate(SimulatedTurn old)
        {
            if (rng.NextDouble() < 0.4) Reaction(old, Reacted.Negative);
            var fresh = Turn(old.TopicIndex, old.Request[^1].Content, rng.NextDouble() < 0.8, previous: old);
            Feedback(old, EventKinds.Regenerate, e => e.NewTurnId = fresh.TurnId);
            if (!fresh.Good)
            {
                if (rng.NextDouble() < 0.6) Reaction(fresh, Reacted.Negative);
                return NextTopic(fresh);
            }
            var r = rng.NextDouble();
            if (r < 0.45) Reaction(fresh, Reacted.Positive);
            else if (r < 0.6) Reaction(fresh, Reacted.PositiveRating);
            else if (r < 0.85) Feedback(fresh, EventKinds.Copy, e => e.CopiedText = fresh.Response);
            else return NextTopic(fresh); // no approval, no pair
            pairs.Add(new(PairSources.Regenerate, old.TurnId, old.Response, Set(fresh.Response)));
            return NextTopic(fresh);
        }

        // A correction or rephrase, then the answer to it; approved when good: a follow-up pair.
        private (int, string)? Restate(SimulatedTurn wrong, Topic topic)
        {
            if (rng.NextDouble() < 0.3) Reaction(wrong, Reacted.Negative);
            var message = rng.NextDouble() < 0.5 ? Phrasing.Correction(rng, topic) : Phrasing.Rephrase(rng, topic);
            FollowUp(wrong, message);
            var answer = Turn(wrong.TopicIndex, message, rng.NextDouble() < 0.85, previous: wrong);
            if (!answer.Good)
            {
                if (rng.NextDouble() < 0.5) Reaction(answer, Reacted.Negative);
                else FollowUp(answer, Phrasing.Complaint(rng));
                return null;
            }
            var r = rng.NextDouble();
            if (r < 0.4) Reaction(answer, Reacted.Positive);
            else if (r < 0.75) FollowUp(answer, Phrasing.PositiveFollowUp(rng));
            else if (r < 0.9) Feedback(answer, EventKinds.Copy, e => e.CopiedText = answer.Response);
            else return NextTopic(answer); // silent: no approval, no pair
            pairs.Add(new(PairSources.FollowUp, wrong.TurnId, wrong.Response, Set(answer.Response)));
            return NextTopic(answer);
        }

        // The app shows two or three answers side by side; an honest user picks the good one.
        private (int, string)? Choice(int topic, string request)
        {
            var shown = new List<SimulatedTurn> { Turn(topic, request, good: true) };
            for (var n = rng.Next(1, 3); n > 0; n--) shown.Add(Turn(topic, request, good: false));
            shown = [.. shown.OrderBy(_ => rng.Next())];
            var chosen = shown.Single(t => t.Good);
            Feedback(chosen, EventKinds.Choice, e =>
            {
                e.ChosenTurnId = chosen.TurnId;
                e.AlternativeTurnIds = shown.Select(t => t.TurnId).ToList();
            });
            foreach (var other in shown.Where(t => t != chosen && !MiningText.SameIgnoringWhitespace(t.Response, chosen.Response)))
                pairs.Add(new(PairSources.Choice, chosen.TurnId, other.Response, Set(chosen.Response)));
            return NextTopic(chosen);
        }

        // The next request, if the conversation goes on: recorded as a follow-up (a new request says nothing about the answer).
        private (int, string)? NextTopic(SimulatedTurn turn)
        {
            if (rng.NextDouble() < 0.35) return null;
            var topic = (turn.TopicIndex + rng.Next(1, Topics.All.Count)) % Topics.All.Count; // another topic
            var request = Phrasing.Request(rng, Topics.All[topic]);
            if (!events.Any(e => e.Kind == EventKinds.FollowUp && e.TurnId == turn.TurnId)) FollowUp(turn, request.Trim());
            return (topic, request);
        }

        private bool Good() => rng.NextDouble() < model.GoodShare;

        private SimulatedTurn Turn(int topicIndex, string request, bool good, SimulatedTurn? previous = null)
        {
            var topic = Topics.All[topicIndex];
            var turnId = $"{conversationId}-t{++turnNumber}";
            List<RequestMessage> messages = model.System is { } system
                ? [new RequestMessage("system", system), new RequestMessage("user", request)]
                : [new RequestMessage("user", request)];
            var response = Phrasing.Pick(rng, good ? topic.Good : topic.Bad);
            var turn = new SimulatedTurn(turnId, conversationId, userId, model.Model, model.Version, messages, response, topicIndex, good, honest, Reacted.None);
            Add(EventKinds.Turn, turnId, e =>
            {
                e.Request = messages;
                e.Response = response;
                e.Model = model.Model;
                e.ModelVersion = model.Version;
                e.PreviousTurnId = previous?.TurnId ?? turns.LastOrDefault()?.TurnId;
                e.LatencyMs = rng.Next(200, 3000);
            });
            turns.Add(turn);
            return turn;
        }

        private void Reaction(SimulatedTurn turn, Reacted reaction)
        {
            var at = turns.FindIndex(t => t.TurnId == turn.TurnId);
            turns[at] = turns[at] with { Reaction = reaction };
            Feedback(turn, EventKinds.Reaction, e =>
            {
                switch (reaction)
                {
                    case Reacted.Positive when rng.NextDouble() < 0.25: e.Emoji = Phrasing.Pick(rng, ["👍", "❤️", "🎉", "🙏🏽"]); break;
                    case Reacted.Positive: e.Thumb = Thumbs.Up; break;
                    case Reacted.Negative when rng.NextDouble() < 0.25: e.Emoji = Phrasing.Pick(rng, ["👎", "😡", "😞", "❌"]); break;
                    case Reacted.Negative: e.Thumb = Thumbs.Down; break;
                    case Reacted.PositiveRating: (e.Rating, e.RatingScale) = (rng.Next(4, 6), 5); break;
                    case Reacted.NegativeRating: (e.Rating, e.RatingScale) = (rng.Next(1, 3), 5); break;
                }
            });
        }

        private void FollowUp(SimulatedTurn turn, string message) => Feedback(turn, EventKinds.FollowUp, e => e.Message = message);

        private void Feedback(SimulatedTurn turn, string kind, Action<FeedbackEvent> set) => Add(kind, turn.TurnId, set);

        private void Add(string kind, string turnId, Action<FeedbackEvent> set)
        {
            clock = clock.AddSeconds(rng.Next(2, 40));
            var e = new FeedbackEvent
            {
                EventId = NewId(),
                Kind = kind,
                Project = options.Project,
                Timestamp = clock,
                ReceivedAt = clock.AddMilliseconds(rng.Next(50, 500)),
                UserId = userId,
                SessionId = $"{conversationId}-s",
                ConversationId = conversationId,
                TurnId = turnId,
            };
            set(e);
            events.Add(e);
        }

        // Seeded, so the same options give the same ids (a version 4 layout over the simulator's random bytes).
        private Guid NewId()
        {
            Span<byte> bytes = stackalloc byte[16];
            rng.NextBytes(bytes);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes, bigEndian: true);
        }

        private static HashSet<string> Set(string text) => new(StringComparer.Ordinal) { text };
    }
}
