namespace Feedback.Analytics.Topics;

/// <summary>What a labeler sees of a topic: its built-in label, distinctive terms and the complaints nearest its centre.</summary>
public sealed record TopicDraft(string Label, IReadOnlyList<string> Terms, IReadOnlyList<string> Examples);
