using System.Text.Json;
using Feedback.Events;

namespace Feedback.Ingest.Batches;

/// <summary>
/// Splits a parsed batch into accepted and rejected events. One bad event never costs the others:
/// each is read and validated on its own, and stamped with the key's project and the receive time.
/// An OpenTelemetry <c>gen_ai.evaluation.result</c> object is read as the evaluation event it maps to.
/// </summary>
public sealed class BatchProcessor(IngestOptions limits, EventValidator validator, IEventSink sink, TimeProvider clock)
{
    public (IReadOnlyList<FeedbackEvent> Accepted, BatchResult Result, BatchProblem? Problem) Process(JsonDocument document, string project)
    {
        if (!TryGetEvents(document.RootElement, out var events))
            return Problem(new(400, "Not a batch", "The body must be a JSON object with an \"events\" array."));
        var count = events.GetArrayLength();
        if (count == 0)
            return Problem(new(400, "Empty batch", "The \"events\" array is empty."));
        if (count > limits.MaxEventsPerBatch)
            return Problem(new(413, "Too many events", $"A batch holds at most {limits.MaxEventsPerBatch} events; this one has {count}."));

        var receivedAt = clock.GetUtcNow();
        var accepted = new List<FeedbackEvent>(count);
        var results = new List<EventResult>(count);
        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            var (e, reason) = Read(element, project);
            if (e is not null && reason is null)
            {
                e.Project = project;
                e.ReceivedAt = receivedAt;
                if (e.Kind == EventKinds.Choice) e.TurnId ??= e.ChosenTurnId;
                reason = sink.Refuse(e);
            }
            if (e is not null && reason is null)
            {
                accepted.Add(e);
                results.Add(new EventResult(index, e.EventId, EventResult.AcceptedStatus));
            }
            else
            {
                results.Add(new EventResult(index, e?.EventId ?? PeekId(element), EventResult.RejectedStatus, reason));
            }
            index++;
        }
        return (accepted, new BatchResult(accepted.Count, count - accepted.Count, results), null);
    }

    private static bool TryGetEvents(JsonElement root, out JsonElement events)
    {
        events = default;
        try
        {
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("events", out events) && events.ValueKind == JsonValueKind.Array;
        }
        catch (InvalidOperationException)
        {
            return false; // a property name escaping a lone surrogate: TryGetProperty throws on unescaping it
        }
    }

    private (FeedbackEvent? Event, string? Reason) Read(JsonElement element, string project)
    {
        if (element.ValueKind != JsonValueKind.Object) return (null, "an event must be a JSON object");
        FeedbackEvent? e;
        try
        {
            if (OtelEvaluationResult.Matches(element))
            {
                var (mapped, notMapped) = OtelEvaluationResult.Read(element);
                if (mapped is null) return (null, notMapped);
                e = mapped;
            }
            else
            {
                e = element.Deserialize<FeedbackEvent>(FeedbackJson.Options);
            }
        }
        catch (JsonException ex)
        {
            return (null, "unreadable event: " + (ex.Path is null ? ex.Message : $"{ex.Path}: {ex.Message.Split(" Path:")[0]}"));
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reads a string that is not valid UTF-8, or escapes a lone UTF-16 surrogate, only
            // as far as GetString, which then throws this (not a JsonException): the event is bad, not the server.
            return (null, "unreadable event: a string is not valid Unicode (invalid UTF-8 or a lone surrogate)");
        }
        if (e is null) return (null, "an event must be a JSON object");
        if (e.Project is not null && e.Project != project)
            return (e, $"project '{e.Project}' is not the write key's project");
        return (e, validator.Validate(e));
    }

    private static Guid? PeekId(JsonElement element)
    {
        try
        {
            return element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("event_id", out var id)
                && id.ValueKind == JsonValueKind.String
                && id.TryGetGuid(out var guid) ? guid : null;
        }
        catch (InvalidOperationException)
        {
            return null; // an escaped lone surrogate in the id: TryGetGuid throws instead of answering false
        }
    }

    private static (IReadOnlyList<FeedbackEvent>, BatchResult, BatchProblem?) Problem(BatchProblem problem) =>
        ([], new BatchResult(0, 0, []), problem);
}
