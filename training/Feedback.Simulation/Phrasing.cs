namespace Feedback.Simulation;

/// <summary>
/// How simulated users write: follow-ups of each kind in varied wording (written for the simulator, not the
/// classifier's training templates), requests retyped with other case and punctuation, and small typos.
/// </summary>
internal static class Phrasing
{
    private static readonly string[] Positive =
    [
        "thanks, that did it", "Perfect, exactly what I needed!", "works now, cheers", "great answer, thank you 🙏",
        "ok that makes sense, thx", "brilliant, saved me an hour", "Yes! That's it.", "nice, much appreciated",
        "that worked first time, thanks a lot", "awesome, thank you so much",
    ];

    private static readonly string[] Complaints =
    [
        "that's just wrong", "Not helpful at all.", "nope, useless", "this is completely incorrect",
        "wow, really bad answer", "no. just no.", "that doesn't work", "Wrong again...", "terrible, that's not it at all",
        "Great, another made-up answer.",
    ];

    private static readonly string[] Clarifications =
    [
        "are you sure about that?", "why?", "can you explain how you got that?", "where does that come from?",
        "hm, really? what's the source?", "Could you explain that a bit more?",
    ];

    private static readonly string[] CorrectionTemplates =
    [
        "No, it's {right}.", "that's not right, {wrong} is wrong - it should be {right}", "actually the answer is {right}",
        "wrong: not {wrong}, {right}", "Thanks, but {wrong} isn't correct, it's {right}.", "hmm no, {right}, not {wrong}",
        "you got it wrong, the correct one is {right}", "nope. {right}.", "I'm pretty sure it's {right}, not {wrong}",
    ];

    private static readonly string[] RephraseTemplates =
    [
        "I meant {rephrasing}", "no, what I'm asking is: {rephrasing}", "let me put it differently: {rephrasing}",
        "{rephrasing}", "sorry, I was unclear - {rephrasing}", "that's not what I asked. {rephrasing}",
    ];

    private static readonly string[] Politeness = ["", "", "", "please ", "hey, ", "ok so ", "hi! "];

    public static string PositiveFollowUp(Random rng) => Vary(rng, Pick(rng, Positive));

    public static string Complaint(Random rng) => Vary(rng, Pick(rng, Complaints));

    public static string Clarification(Random rng, Topic topic) =>
        Vary(rng, rng.NextDouble() < 0.4 ? topic.Question : Pick(rng, Clarifications));

    public static string Correction(Random rng, Topic topic) =>
        Vary(rng, Pick(rng, CorrectionTemplates).Replace("{right}", topic.Right, StringComparison.Ordinal).Replace("{wrong}", topic.Wrong, StringComparison.Ordinal));

    public static string Rephrase(Random rng, Topic topic) =>
        Vary(rng, Pick(rng, RephraseTemplates).Replace("{rephrasing}", Pick(rng, topic.Rephrasings), StringComparison.Ordinal));

    /// <summary>The topic's request as a user might type it: same words, other case, spacing or punctuation.</summary>
    public static string Request(Random rng, Topic topic)
    {
        var text = topic.Request;
        return rng.Next(5) switch
        {
            0 => text.ToLowerInvariant(),
            1 => text.TrimEnd('?', '.', '!'),
            2 => "  " + text.Replace(" ", "  ", StringComparison.Ordinal) + " ",
            3 => text.TrimEnd('?', '.', '!').ToLowerInvariant() + "??",
            _ => text,
        };
    }

    /// <summary>The user's own version of a bad answer: a good answer, sometimes reworded a little.</summary>
    public static string UserEdit(Random rng, Topic topic) =>
        Pick(rng, topic.Good) + (rng.NextDouble() < 0.5 ? "" : Pick(rng, [" (checked)", " Done.", "\n\n- edited"]));

    /// <summary>The same text with only whitespace changed (an edit that must not give a pair).</summary>
    public static string WhitespaceOnly(Random rng, string text) =>
        rng.Next(3) switch
        {
            0 => text + "\n",
            1 => "  " + text,
            _ => text.Replace(" ", "  ", StringComparison.Ordinal) + " ",
        };

    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    // Politeness, lower case, a dropped final punctuation mark, now and then a swapped-letter typo.
    private static string Vary(Random rng, string text)
    {
        text = Pick(rng, Politeness) + text;
        if (rng.NextDouble() < 0.3) text = text.ToLowerInvariant();
        if (rng.NextDouble() < 0.2) text = text.TrimEnd('.', '!');
        if (rng.NextDouble() < 0.1 && text.Length > 6)
        {
            var i = rng.Next(1, text.Length - 2);
            if (char.IsLetter(text[i]) && char.IsLetter(text[i + 1])) text = text[..i] + text[i + 1] + text[i] + text[(i + 2)..];
        }
        return text;
    }
}
