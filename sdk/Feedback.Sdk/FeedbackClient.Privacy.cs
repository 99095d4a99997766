using Feedback.Privacy;

namespace Feedback;

// The privacy members, kept apart from delivery (docs/sdk-privacy.md). Every event goes through
// privacy.Apply in Enqueue, on the app's thread, so nothing dropped or unredacted is ever queued.
public sealed partial class FeedbackClient
{
    private readonly EventPrivacy privacy;

    /// <summary>Events not sent because their user opted out or has no consent (see <see cref="FeedbackClientOptions.HasConsent"/>).</summary>
    public long DroppedByConsent => privacy.DroppedByConsent;

    /// <summary>Events not sent because their conversation is outside <see cref="FeedbackClientOptions.SampleRate"/>.</summary>
    public long SampledOut => privacy.SampledOut;

    /// <summary>Events not sent because a custom redaction rule threw: an unredacted event never goes out.</summary>
    public long RedactionFailed => privacy.RedactionFailed;

    /// <summary>
    /// From now on nothing the user does is sent, until <see cref="OptIn"/>. Events tracked before the call may
    /// still be sent. Kept in memory: persist the choice in the app and call again at start (or use HasConsent).
    /// </summary>
    public void OptOut(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        privacy.OptOut(userId);
    }

    /// <summary>Undoes <see cref="OptOut"/>. A <see cref="FeedbackClientOptions.HasConsent"/> delegate still applies.</summary>
    public void OptIn(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        privacy.OptIn(userId);
    }
}
