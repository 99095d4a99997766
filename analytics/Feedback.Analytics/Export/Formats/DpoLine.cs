using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export.Formats;

/// <summary>TRL DPO "standard" shape: prompt, chosen and rejected as strings, plus the lineage.</summary>
public sealed record DpoLine(string Prompt, string Chosen, string Rejected, PairMeta Meta)
{
    public static object Of(PreferencePair p) => new DpoLine(PromptText.Render(p.Prompt), p.Chosen, p.Rejected, PairMeta.Of(p));
}
