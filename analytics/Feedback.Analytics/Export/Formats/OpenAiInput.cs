namespace Feedback.Analytics.Export.Formats;

/// <summary>The conversation of an <see cref="OpenAiLine"/>.</summary>
public sealed record OpenAiInput(IReadOnlyList<OpenAiMessage> Messages);
