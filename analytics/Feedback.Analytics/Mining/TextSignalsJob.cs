using Feedback.Analytics.Export;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// The part of a turn's signals that needs C# to read text, once per event, into <c>text_signals</c> (migration
/// 0020): the follow-up classifier's label of each follow-up, and of each edit whether it changes more than
/// whitespace and punctuation and its edit-distance ratio (<see cref="TurnSignalRules"/>). Runs first in
/// <see cref="TurnSignalsJob"/> and reads every such event it has not read yet. An event whose turn has not
/// arrived yet waits for it.
/// </summary>
public sealed class TextSignalsJob(IClickHouse store, TimeProvider clock)
{
    // Every follow-up and edit not read yet, whatever its age: the table itself is the mark. One whose turn has not
    // arrived is left out by the join and tried again next run.
    private const string Unread = """
        WITH unread AS
        (
            SELECT project, turn_id, event_id, kind, timestamp, message, edited_response
            FROM events FINAL
            WHERE kind IN ('follow_up', 'edit') AND (project, event_id) NOT IN (SELECT project, event_id FROM text_signals)
        )
        SELECT e.project AS project, e.turn_id AS turn_id, e.event_id AS event_id, e.kind AS kind, e.timestamp AS timestamp,
            e.message AS message, e.edited_response AS edited_response, t.request AS request, t.response AS response
        FROM unread AS e
        INNER JOIN
        (
            SELECT project, turn_id, any(request) AS request, any(response) AS response
            FROM events -- no FINAL: a re-delivered copy has the same texts
            WHERE kind = 'turn' AND (project, turn_id) IN (SELECT project, turn_id FROM unread)
            GROUP BY project, turn_id
        ) AS t ON t.project = e.project AND t.turn_id = e.turn_id
        """;

    private readonly Lock classifying = new(); // the classifier is not thread-safe
    private FollowUpClassifier? classifier;

    /// <summary>Reads the follow-ups and edits not read yet; returns how many events were read.</summary>
    public async Task<int> DeriveAsync(CancellationToken cancellationToken = default)
    {
        var events = await store.QueryAsync<TextEvent>(Unread, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (events.Count == 0) return 0;
        var now = clock.GetUtcNow();
        var followUps = events.Where(e => e.Kind == EventKinds.FollowUp).ToList();
        IReadOnlyList<FollowUpPrediction> labels;
        lock (classifying)
        {
            classifier ??= FollowUpClassifier.LoadShipped();
            // One batch over every core: at scale the classifier is the most expensive step of a mining run.
            labels = classifier.ClassifyAll(followUps.Select(e => new FollowUp(PairExport.RenderPrompt(e.Request), e.Response, e.Message)).ToList());
        }
        var rows = followUps.Zip(labels, (e, label) => Row(e, now) with { FollowUpLabel = label.Label, FollowUpConfidence = label.Confidence })
            .Concat(events.Where(e => e.Kind == EventKinds.Edit).Select(e => TurnSignalRules.IsRealEdit(e.Response, e.EditedResponse)
                ? Row(e, now) with { RealEdit = 1, EditDistanceRatio = TurnSignalRules.EditDistanceRatio(e.Response, e.EditedResponse) }
                : Row(e, now)))
            .ToList();
        foreach (var chunk in rows.Chunk(100_000))
            await store.InsertAsync("text_signals", chunk, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    private static TextSignal Row(TextEvent e, DateTimeOffset now) => new(e.Project, e.TurnId, e.EventId, e.Kind, e.Timestamp, now);

    private sealed record TextEvent(
        string Project, string TurnId, Guid EventId, string Kind, DateTimeOffset Timestamp, string Message, string EditedResponse,
        IReadOnlyList<RequestMessage> Request, string Response);

    private sealed record TextSignal(string Project, string TurnId, Guid EventId, string Kind, DateTimeOffset EventTimestamp, DateTimeOffset DerivedAt)
    {
        public string FollowUpLabel { get; init; } = "";

        public float? FollowUpConfidence { get; init; }

        public byte RealEdit { get; init; }

        public double? EditDistanceRatio { get; init; }
    }
}
