namespace Feedback.Analytics.Export.Formats;

/// <summary>One message of an <see cref="OpenAiLine"/>.</summary>
public sealed record OpenAiMessage(string Role, string Content);
