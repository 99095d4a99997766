using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Topic labels written by the operator's own chat model (any Microsoft.Extensions.AI <see cref="IChatClient"/>):
/// one request per fit with every topic's terms and central complaints, asking for JSON. A timeout, an error, an
/// answer that is not the JSON asked for or a wrong number of labels keeps the built-in labels (logged); a label is
/// cut to <see cref="MaxLength"/> characters. Enabled with <c>UseChatClientTopicLabeler</c> (docs/analytics.md).
/// </summary>
public sealed partial class ChatClientTopicLabeler(IChatClient client, TimeSpan? timeout = null, ILogger<ChatClientTopicLabeler>? logger = null) : ITopicLabeler
{
    public const int MaxLength = 60;

    /// <summary>The instructions sent before the topics.</summary>
    public const string Instructions = """
        You name topics of complaints that users of an AI chat assistant made about its answers. For each numbered
        topic below you get its most distinctive words and a few complaints from it. Write a short label of 3 to 6
        words saying what went wrong in the answers (for example "wrong time zone conversions" or "code that does
        not compile"), not what the conversations were about. Answer only with JSON of this shape, one label per
        topic in the same order: {"labels": ["...", "..."]}
        """;

    private readonly TimeSpan timeout = timeout ?? TimeSpan.FromSeconds(30);
    private readonly ILogger logger = logger ?? NullLogger<ChatClientTopicLabeler>.Instance;

    public async Task<IReadOnlyList<string?>?> LabelAsync(IReadOnlyList<TopicDraft> topics, CancellationToken cancellationToken)
    {
        if (topics.Count == 0) return [];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        string answer;
        try
        {
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, Prompt(topics))],
                new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, limit.Token).ConfigureAwait(false);
            answer = response.Text;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e);
            return null;
        }
        var labels = Parse(answer, topics.Count);
        if (labels is null) LogUnusable(logger, answer.Length > 200 ? answer[..200] : answer);
        return labels;
    }

    /// <summary>The topics as the model reads them.</summary>
    public static string Prompt(IReadOnlyList<TopicDraft> topics)
    {
        var prompt = new StringBuilder();
        for (var i = 0; i < topics.Count; i++)
        {
            prompt.Append(System.Globalization.CultureInfo.InvariantCulture, $"Topic {i + 1}. Words: {string.Join(", ", topics[i].Terms)}\n");
            foreach (var example in topics[i].Examples) prompt.Append("- ").Append(example.ReplaceLineEndings(" ")).Append('\n');
            prompt.Append('\n');
        }
        return prompt.ToString();
    }

    // {"labels": [...]} with one string per topic, possibly inside a Markdown code fence; anything else is unusable.
    private static List<string?>? Parse(string answer, int count)
    {
        var start = answer.IndexOf('{', StringComparison.Ordinal);
        var end = answer.LastIndexOf('}');
        if (start < 0 || end < start) return null;
        try
        {
            using var json = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
            if (!json.RootElement.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array || labels.GetArrayLength() != count)
                return null;
            return labels.EnumerateArray()
                .Select(l => l.ValueKind == JsonValueKind.String && l.GetString()!.Trim() is { Length: > 0 } text
                    ? text.Length > MaxLength ? text[..(char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength)] : text
                    : null)
                .ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat model could not label topics; the built-in labels stay")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat model's topic labels were not the JSON asked for; the built-in labels stay. It answered: {Answer}")]
    private static partial void LogUnusable(ILogger logger, string answer);
}
