namespace Feedback.Privacy;

/// <summary>What <see cref="FeedbackClient"/> redacts from free text before an event is serialised, spooled or sent.</summary>
public sealed class RedactionOptions
{
    /// <summary>Off sends texts as given. On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Applied in order to every free-text field. Starts with <see cref="RedactionRules.Defaults"/>;
    /// add your own, <c>Remove</c> a default (e.g. <see cref="RedactionRules.Phone"/>) or <c>Clear</c> them.
    /// </summary>
    public IList<IRedactionRule> Rules { get; } = [.. RedactionRules.Defaults];
}
