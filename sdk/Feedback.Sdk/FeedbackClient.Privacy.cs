using Feedback.Privacy;

namespace Feedback;

// The privacy members (docs/sdk-privacy.md). The pipeline applies them: every event passes privacy.Admit in
// DeliveryPipeline.Enqueue (consent, sampling: nothing of a user without consent is queued) and privacy.Release
// in its Drain (opt-out again, redaction: nothing unredacted is serialised, spooled or sent); after an opt-out
// the pipeline also purges what it already serialised.
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
    /// From now on nothing the user does is sent, until <see cref="OptIn"/>; events of theirs tracked before and
    /// not yet sent (queued, waiting for a retry, or in the spool) are removed too. Only a request already on the
    /// wire cannot be called back. Kept in memory: persist the choice in the app and call again at start (or use
    /// HasConsent).
    /// </summary>
    public void OptOut(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        privacy.OptOut(userId);
        pipeline.Wake(); // purge what waits for a retry now, not at the next flush interval
    }

    /// <summary>Undoes <see cref="OptOut"/>. A <see cref="FeedbackClientOptions.HasConsent"/> delegate still applies.</summary>
    public void OptIn(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        privacy.OptIn(userId);
    }
}
