namespace Feedback.Analytics.Reviews;

/// <summary>
/// How much the optional LLM labeler (<see cref="ChatClientFollowUpLabeler"/>) may send to the operator's chat model
/// (docs/mining.md, "LLM labeler (optional)"). The defaults bound a day's cost to <see cref="DailyBudget"/> labelled
/// follow-ups per project and a mining run's to <see cref="MaxPerRun"/> follow-ups in batches of <see cref="BatchSize"/>.
/// </summary>
public sealed class ChatClientLabelerOptions
{
    /// <summary>At most this many follow-ups are sent per mining run, the least confident by the local model first.</summary>
    public int MaxPerRun { get; set; } = 200;

    /// <summary>At most this many follow-ups of one project are labelled by the LLM per day (UTC).</summary>
    public int DailyBudget { get; set; } = 1000;

    /// <summary>Follow-ups sent in one request to the chat model.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>How long one batch may take; a batch that takes longer keeps the local model's labels.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The projects whose follow-ups are sent; null (the default) sends every project's.</summary>
    public IReadOnlyList<string>? Projects { get; set; }

    /// <summary>Throws when a bound is out of its range.</summary>
    /// <exception cref="ArgumentException">A bound below 1 (batch size above 100), a timeout not positive, or an empty project list or name.</exception>
    public void Validate()
    {
        if (MaxPerRun < 1) throw new ArgumentException($"{nameof(MaxPerRun)} must be at least 1 (it is {MaxPerRun}).");
        if (DailyBudget < 1) throw new ArgumentException($"{nameof(DailyBudget)} must be at least 1 (it is {DailyBudget}).");
        if (BatchSize is < 1 or > 100) throw new ArgumentException($"{nameof(BatchSize)} must be 1 to 100 (it is {BatchSize}).");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"{nameof(Timeout)} must be positive (it is {Timeout}).");
        if (Projects is { Count: 0 }) throw new ArgumentException($"{nameof(Projects)} must name at least one project, or be null for all of them.");
        if (Projects is { } projects && projects.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException($"{nameof(Projects)} must not contain an empty name.");
    }
}
