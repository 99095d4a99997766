using Feedback.Events;

namespace Feedback.Simulation;

/// <summary>
/// Seeded synthetic traffic with planted complaint themes, for the topic tests and the topic benchmark: each
/// negative turn belongs to one theme and gets a thumb down, with the user's words in a reaction comment or a
/// follow-up, worded from that theme's phrases. A share of turns is positive (a thumb up) and must not make topics.
/// </summary>
public static class ComplaintTraffic
{
    public sealed record Theme(string Name, string[] Requests, string[] Answers, string[] Complaints);

    public static readonly IReadOnlyList<Theme> Themes =
    [
        new("dates",
            ["When did the Apollo 11 moon landing happen?", "What year did the Berlin Wall fall?", "When was the Eiffel Tower completed?", "On which date was the Declaration of Independence signed?"],
            ["It happened on 4 March 1971.", "That was in 1985, on a Tuesday in spring.", "It was completed in 1901.", "The date was 12 August 1780."],
            ["the date is wrong", "wrong year, check the calendar", "that date is incorrect, the year is off", "no, it happened in a different year", "you got the date and the year wrong again", "the day and month are wrong"]),
        new("code",
            ["Write a Python function that parses a CSV file", "Give me a regex that validates email addresses", "Fix this JavaScript loop", "Write a SQL query that joins orders and customers"],
            ["def parse(path):\n    return csv.reader(open(path).split(','))", "Use /^[a-z]+@$/ to validate them.", "for (let i = 0; i < items.length; i++ { total += items[i] }", "SELECT * FROM orders JOIN customers WHERE id;"],
            ["this code does not compile", "syntax error on line 3, the code is broken", "the function throws an exception when I run it", "your snippet crashes with a TypeError", "the code fails to compile, missing import", "runtime error, the script crashes"]),
        new("verbosity",
            ["Explain how vaccines work", "Summarize this article about climate policy", "What is a mortgage?", "Tell me about the French revolution"],
            ["Great question! Let's start with some background. To understand this topic fully, we first need to look at its history, then its many aspects, then the details of each aspect... [twelve more paragraphs]",
             "Certainly. There are many things to consider here, and in this answer I will go through each of them in turn, beginning with an overview, followed by a detailed discussion... [continues for 2,000 words]"],
            ["way too long, keep it short", "too verbose, I wanted a brief summary", "shorter please, this is a wall of text", "too many paragraphs, make it concise", "cut it down, far too lengthy", "I asked for a short answer not an essay"]),
        new("translation",
            ["Translate 'good morning' into Spanish", "How do I say 'thank you' in German?", "Translate this menu into Italian", "Put this sentence into French"],
            ["'Good morning' is 'buenas noches'.", "In German you say 'bitte schön danke'.", "Menu: pollo = fish, manzo = chicken, pesce = beef.", "La phrase est: 'Je suis eu faim hier'."],
            ["the translation is wrong", "that is not Spanish, wrong language", "bad translation, a native speaker would never say that", "you translated into the wrong language", "the German translation has grammar mistakes", "mistranslated, the meaning changed"]),
    ];

    private static readonly string[] Openers = ["", "hmm ", "ugh, ", "sorry but ", "honestly ", "again: "];
    private static readonly string[] Closers = ["", ".", "!", " - please fix", " :(", " come on"];

    /// <summary>
    /// <paramref name="turns"/> turns (each with its feedback events) spread over <paramref name="span"/> from
    /// <paramref name="start"/>; returns the events and the planted theme of every negative turn.
    /// </summary>
    public static (List<FeedbackEvent> Events, Dictionary<string, string> ThemeOfTurn) Generate(
        string project, int turns, int seed, DateTimeOffset start, TimeSpan span, double positiveShare = 0.2, string turnPrefix = "t")
    {
        var random = new Random(seed);
        var events = new List<FeedbackEvent>(turns * 2);
        var themes = new Dictionary<string, string>();
        for (var i = 0; i < turns; i++)
        {
            var at = start + span * random.NextDouble();
            var turnId = $"{turnPrefix}{i:D7}";
            var conversation = $"c-{turnPrefix}{i / 3:D7}";
            var theme = Themes[random.Next(Themes.Count)];
            events.Add(Event(project, EventKinds.Turn, turnId, conversation, at, e =>
            {
                e.Request = [new RequestMessage("user", Pick(random, theme.Requests))];
                e.Response = Pick(random, theme.Answers);
                e.Model = "gpt-x";
                e.ModelVersion = "v1";
            }));
            var feedbackAt = at.AddSeconds(30);
            if (random.NextDouble() < positiveShare)
            {
                events.Add(Event(project, EventKinds.Reaction, turnId, conversation, feedbackAt, e => e.Thumb = Thumbs.Up));
                continue;
            }
            themes[turnId] = theme.Name;
            var words = Pick(random, Openers) + Pick(random, theme.Complaints) + Pick(random, Closers);
            if (random.Next(2) == 0)
            {
                events.Add(Event(project, EventKinds.Reaction, turnId, conversation, feedbackAt, e => (e.Thumb, e.Comment) = (Thumbs.Down, words)));
            }
            else
            {
                events.Add(Event(project, EventKinds.Reaction, turnId, conversation, feedbackAt, e => e.Thumb = Thumbs.Down));
                events.Add(Event(project, EventKinds.FollowUp, turnId, conversation, feedbackAt.AddSeconds(5), e => e.Message = words));
            }
        }
        return (events, themes);
    }

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];

    private static FeedbackEvent Event(string project, string kind, string turnId, string conversation, DateTimeOffset at, Action<FeedbackEvent> fill)
    {
        var e = new FeedbackEvent
        {
            EventId = Guid.CreateVersion7(),
            Kind = kind,
            Project = project,
            Timestamp = at,
            ReceivedAt = DateTimeOffset.UtcNow,
            UserId = "u-" + conversation,
            SessionId = "s-" + conversation,
            ConversationId = conversation,
            TurnId = turnId,
        };
        fill(e);
        return e;
    }
}
