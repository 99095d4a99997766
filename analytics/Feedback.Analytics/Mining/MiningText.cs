using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>Text comparisons the pair miners share.</summary>
public static class MiningText
{
    /// <summary>True when the texts differ only in whitespace: such an "other" answer or edit says nothing.</summary>
    public static bool SameIgnoringWhitespace(string a, string b) =>
        a.Where(c => !char.IsWhiteSpace(c)).SequenceEqual(b.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>
    /// What the user asked in this turn: the request's last user message (the whole request rendered when it has
    /// none). The follow-up classifier and the relatedness guard compare with it, not with the conversation so far.
    /// </summary>
    public static string LastUserMessage(IReadOnlyList<RequestMessage> request) =>
        request.LastOrDefault(m => m.Role == "user")?.Content ?? PromptText.Render(request);
}
