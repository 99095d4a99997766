using System.Diagnostics.CodeAnalysis;
using Feedback.Events;

namespace Feedback.Privacy;

/// <summary>Runs redaction rules over a text, or over every free-text field of an event.</summary>
public sealed class Redactor
{
    private readonly IRedactionRule[] rules;

    /// <summary>A redactor that applies <paramref name="rules"/> in order.</summary>
    public Redactor(IEnumerable<IRedactionRule> rules) => this.rules = [.. rules];

    /// <summary>A redactor with <see cref="RedactionRules.Defaults"/>.</summary>
    public static Redactor Default { get; } = new(RedactionRules.Defaults);

    /// <summary>The text with every rule applied; the same instance when no rule found anything.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var rule in rules) text = rule.Redact(text);
        return text;
    }

    /// <summary>
    /// Redacts the event's free texts in place: request message contents, response, edited response,
    /// follow-up message, comment, copied text, an evaluation's reason (a judge often quotes the answer) and
    /// metadata values. Ids, model names and labels are left as they are (ids are pseudonymous by contract).
    /// The request list and metadata dictionary are replaced, never changed, since they may be the app's own objects.
    /// </summary>
    public void Redact(FeedbackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Request = Redact(e.Request);
        e.Response = Redact(e.Response);
        e.EditedResponse = Redact(e.EditedResponse);
        e.Message = Redact(e.Message);
        e.Comment = Redact(e.Comment);
        e.CopiedText = Redact(e.CopiedText);
        e.EvaluationReason = Redact(e.EvaluationReason);
        e.Metadata = Redact(e.Metadata);
    }

    private IReadOnlyList<RequestMessage>? Redact(IReadOnlyList<RequestMessage>? messages)
    {
        if (messages is null) return null;
        RequestMessage[]? copy = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var content = Redact(messages[i].Content);
            if (ReferenceEquals(content, messages[i].Content)) continue;
            copy ??= [.. messages];
            copy[i] = messages[i] with { Content = content };
        }
        return copy ?? messages;
    }

    private IReadOnlyDictionary<string, string>? Redact(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return null;
        Dictionary<string, string>? copy = null;
        foreach (var (key, value) in metadata)
        {
            var redacted = Redact(value);
            if (ReferenceEquals(redacted, value)) continue;
            copy ??= new Dictionary<string, string>(metadata, StringComparer.Ordinal);
            copy[key] = redacted;
        }
        return copy ?? metadata;
    }
}
