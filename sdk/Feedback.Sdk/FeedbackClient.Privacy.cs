using Feedback.Delivery;
using Feedback.Privacy;

namespace Feedback;

// The privacy members, kept apart from delivery (docs/sdk-privacy.md). Every event passes privacy.Admit in
// Enqueue (consent, sampling: nothing of a user without consent is queued) and privacy.Release in Drain
// (opt-out again, redaction: nothing unredacted is serialised, spooled or sent).
public sealed partial class FeedbackClient
{
    private readonly EventPrivacy privacy;
    private int purgedOptOuts;

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
        wake.Release(); // purge what waits for a retry now, not at the next flush interval
    }

    /// <summary>Undoes <see cref="OptOut"/>. A <see cref="FeedbackClientOptions.HasConsent"/> delegate still applies.</summary>
    public void OptIn(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        privacy.OptIn(userId);
    }

    /// <summary>
    /// After an opt-out, removes that user's events from batches already serialised (held for a retry or spooled,
    /// also by an earlier run), rewriting their spool files. True when it removed a whole batch.
    /// </summary>
    private bool PurgeOptedOut(List<PendingBatch> pending)
    {
        var optOuts = privacy.OptOuts;
        if (optOuts == purgedOptOuts) return false;
        purgedOptOuts = optOuts;
        foreach (var batch in pending)
            if (privacy.Purge(batch.Events) > 0) DiskSpool.Update(batch); // deletes the file when nothing is left
        return pending.RemoveAll(b => b.Events.Count == 0) > 0;
    }
}
