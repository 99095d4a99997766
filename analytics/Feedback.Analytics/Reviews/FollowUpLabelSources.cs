namespace Feedback.Analytics.Reviews;

/// <summary>
/// Who labelled a follow-up: the <c>source</c> of a <c>follow_up_reviews</c> row and a turn's <c>follow_up_source</c>.
/// A review outranks an LLM label, which outranks the shipped (or the project's) classifier.
/// </summary>
public static class FollowUpLabelSources
{
    /// <summary>The follow-up classifier: the shipped model, or the project's own (<c>feedback train --project</c>).</summary>
    public const string Model = "model";

    /// <summary>The app's own language model, through the operator's <c>IChatClient</c>.</summary>
    public const string Llm = "llm";

    /// <summary>A person, in the review queue.</summary>
    public const string Review = "review";
}
