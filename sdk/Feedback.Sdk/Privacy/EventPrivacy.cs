using System.Collections.Concurrent;
using Feedback.Events;

namespace Feedback.Privacy;

/// <summary>
/// The one privacy step every event passes before it is queued: consent, then sampling, then redaction.
/// Reads the options once, when the client is made, so later changes to them cannot race with tracking.
/// </summary>
internal sealed class EventPrivacy
{
    private readonly ConcurrentDictionary<string, byte> optedOut = new(StringComparer.Ordinal);
    private readonly Func<string, bool>? hasConsent;
    private readonly double sampleRate;
    private readonly Redactor? redactor;
    private long droppedByConsent;
    private long sampledOut;
    private long redactionFailed;

    public EventPrivacy(FeedbackClientOptions options)
    {
        hasConsent = options.HasConsent;
        sampleRate = options.SampleRate;
        redactor = options.Redaction.Enabled ? new Redactor(options.Redaction.Rules) : null;
    }

    public long DroppedByConsent => Interlocked.Read(ref droppedByConsent);

    public long SampledOut => Interlocked.Read(ref sampledOut);

    public long RedactionFailed => Interlocked.Read(ref redactionFailed);

    public void OptOut(string userId) => optedOut[userId] = 0;

    public void OptIn(string userId) => optedOut.TryRemove(userId, out _);

    /// <summary>The event to queue, redacted; or null when it must not leave the process (counted).</summary>
    public FeedbackEvent? Apply(FeedbackEvent e)
    {
        if (!HasConsent(e.UserId ?? ""))
        {
            Interlocked.Increment(ref droppedByConsent);
            return null;
        }
        if (!ConversationSampling.IsSampledIn(e.ConversationId ?? "", sampleRate))
        {
            Interlocked.Increment(ref sampledOut);
            return null;
        }
        try
        {
            redactor?.Redact(e);
            return e;
        }
#pragma warning disable CA1031 // An app's rule may throw anything; tracking must not, and an unredacted event must not go out.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref redactionFailed);
            return null;
        }
    }

    private bool HasConsent(string userId)
    {
        if (optedOut.ContainsKey(userId)) return false;
        if (hasConsent is null) return true;
        try
        {
            return hasConsent(userId);
        }
#pragma warning disable CA1031 // The app's delegate failing means consent is unknown: fail closed, never throw into the app.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
