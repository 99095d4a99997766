using Feedback.Events;

namespace Feedback.Analytics.Model;

/// <summary>A request as one text: the prompt every export writes, and what the reaction predictor reads.</summary>
public static class PromptText
{
    /// <summary>A lone message as it is; several as "role: content" blocks separated by a blank line.</summary>
    public static string Render(IReadOnlyList<RequestMessage> request) =>
        request.Count == 1 ? request[0].Content : string.Join("\n\n", request.Select(m => $"{m.Role}: {m.Content}"));
}
