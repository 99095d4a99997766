using System.Collections.Concurrent;
using System.Text.Json;
using Feedback.Events;

namespace Feedback.Privacy;

/// <summary>
/// The privacy step every event passes, in two halves. <see cref="Admit"/> runs on the app's thread and is cheap:
/// consent, then sampling, so nothing of a user without consent or of a sampled-out conversation is queued.
/// <see cref="Release"/> runs on the background sender just before the event is serialised (and so before it is
/// spooled or sent): it checks opt-out again, so an opt-out also stops events already queued, then redacts.
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
    private int optOuts;

    public EventPrivacy(FeedbackClientOptions options)
    {
        hasConsent = options.HasConsent;
        sampleRate = options.SampleRate;
        redactor = options.Redaction.Enabled ? new Redactor(options.Redaction.Rules) : null;
    }

    public long DroppedByConsent => Interlocked.Read(ref droppedByConsent);

    public long SampledOut => Interlocked.Read(ref sampledOut);

    public long RedactionFailed => Interlocked.Read(ref redactionFailed);

    /// <summary>Bumped by every opt-out, so the sender knows when to purge what it already holds.</summary>
    public int OptOuts => Volatile.Read(ref optOuts);

    public void OptOut(string userId)
    {
        optedOut[userId] = 0;
        Interlocked.Increment(ref optOuts);
    }

    public void OptIn(string userId) => optedOut.TryRemove(userId, out _);

    // Most apps never opt anyone out: then the check costs no hashing of the user id.
    public bool IsOptedOut(string userId) => OptOuts != 0 && optedOut.ContainsKey(userId);

    /// <summary>On the app's thread: whether the event may be queued at all (a refusal is counted).</summary>
    public bool Admit(FeedbackEvent e)
    {
        if (!HasConsent(e.UserId ?? ""))
        {
            Interlocked.Increment(ref droppedByConsent);
            return false;
        }
        if (!ConversationSampling.IsSampledIn(e.ConversationId ?? "", sampleRate))
        {
            Interlocked.Increment(ref sampledOut);
            return false;
        }
        return true;
    }

    /// <summary>
    /// On the sender, before serialising: false when the user opted out since the event was queued, or when a
    /// redaction rule failed (counted); otherwise the event is redacted in place and may leave the process.
    /// </summary>
    public bool Release(FeedbackEvent e)
    {
        if (IsOptedOut(e.UserId ?? ""))
        {
            Interlocked.Increment(ref droppedByConsent);
            return false;
        }
        try
        {
            redactor?.Redact(e);
            return true;
        }
#pragma warning disable CA1031 // An app's rule may throw anything; tracking must not, and an unredacted event must not go out.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref redactionFailed);
            return false;
        }
    }

    /// <summary>
    /// Removes the events of opted-out users from events already serialised (a batch drained or spooled before
    /// the opt-out), counting them; returns how many went.
    /// </summary>
    public int Purge(List<byte[]> events)
    {
        var removed = events.RemoveAll(json => IsOptedOut(UserIdOf(json)));
        Interlocked.Add(ref droppedByConsent, removed);
        return removed;
    }

    private static string UserIdOf(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("user_id"u8))
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
        }
        catch (JsonException)
        {
            // Not an event we can read (a damaged spool line): the server will refuse it; nothing to purge.
        }
        return "";
    }

    private bool HasConsent(string userId)
    {
        if (IsOptedOut(userId)) return false;
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
