using Feedback.Events;

namespace Feedback.Analytics.Export;

/// <summary>One KTO example: a prompt, one completion and whether it was desirable.</summary>
public sealed record KtoRow(IReadOnlyList<RequestMessage> Prompt, string Completion, bool Label, LabelMeta Meta, ExportPosition Position);
