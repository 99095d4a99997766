using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export.Formats;

/// <summary>
/// OpenAI preference fine-tuning: the conversation, then the preferred and the non-preferred assistant turn.
/// No meta: OpenAI validates the file and the lineage is not part of its format.
/// </summary>
public sealed record OpenAiLine(OpenAiInput Input, IReadOnlyList<OpenAiMessage> PreferredOutput, IReadOnlyList<OpenAiMessage> NonPreferredOutput)
{
    public static object Of(PreferencePair p) => new OpenAiLine(
        new OpenAiInput(p.Prompt.Select(m => new OpenAiMessage(m.Role, m.Content)).ToList()),
        [new OpenAiMessage("assistant", p.Chosen)],
        [new OpenAiMessage("assistant", p.Rejected)]);
}
