using System.Text.Json;
using System.Text.Json.Serialization;
using Feedback.Analytics.Topics;

namespace Feedback.Training.Topics;

/// <summary>
/// One conversation of a topic evaluation set (training/topics): a request, the answer the user disliked, what the
/// user said about it (a follow-up and/or a comment with a thumb down) and the theme a person gave it.
/// </summary>
public sealed record LabelledComplaint(
    [property: JsonPropertyName("theme")] string Theme,
    [property: JsonPropertyName("request")] string Request,
    [property: JsonPropertyName("response")] string Response,
    [property: JsonPropertyName("follow_up")] string? FollowUp,
    [property: JsonPropertyName("comment")] string? Comment)
{
    /// <summary>What the topic job reads of such a turn: the user's words joined as <see cref="NegativeTurns"/> joins them.</summary>
    public TurnText Text => new(Request, string.Join(" / ", new[] { FollowUp, Comment }.Where(w => !string.IsNullOrWhiteSpace(w))), Response);

    public static IReadOnlyList<LabelledComplaint> Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    public static IReadOnlyList<LabelledComplaint> Read(Stream stream)
    {
        var complaints = new List<LabelledComplaint>();
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
            if (line.Trim().Length > 0) complaints.Add(JsonSerializer.Deserialize<LabelledComplaint>(line)!);
        return complaints;
    }
}
