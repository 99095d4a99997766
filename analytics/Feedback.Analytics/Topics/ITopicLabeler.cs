namespace Feedback.Analytics.Topics;

/// <summary>
/// Names the topics of a fit in place of their built-in labels (<see cref="TopicModel.Labels"/>), e.g. with the
/// app's own language model (<see cref="ChatClientTopicLabeler"/>). Off by default; a labeler that fails or answers
/// nothing usable for a topic leaves that topic its built-in label.
/// </summary>
public interface ITopicLabeler
{
    /// <summary>One label per topic, in order; null (or a null entry) keeps the built-in label.</summary>
    Task<IReadOnlyList<string?>?> LabelAsync(IReadOnlyList<TopicDraft> topics, CancellationToken cancellationToken);
}
