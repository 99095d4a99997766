using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export.Formats;

/// <summary>TRL KTO "standard" unpaired shape: prompt, completion and label, plus the lineage.</summary>
public sealed record KtoLine(string Prompt, string Completion, bool Label, LabelMeta Meta)
{
    public static object Of(KtoRow r) => new KtoLine(PromptText.Render(r.Prompt), r.Completion, r.Label, r.Meta);
}
