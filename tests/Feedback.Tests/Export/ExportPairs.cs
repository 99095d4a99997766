using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Tests.Export;

/// <summary>Pairs written straight into the pairs table, with the fields the filters look at under test control.</summary>
internal static class ExportPairs
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static PreferencePair Pair(
        string project, DateTimeOffset createdAt, string model = "m", string modelVersion = "v1", string source = "edit",
        float confidence = 0.9f, string chosen = "Canberra.", IReadOnlyList<RequestMessage>? prompt = null)
    {
        Guid[] events = [Guid.CreateVersion7(), Guid.CreateVersion7()];
        return new PreferencePair(
            PreferencePair.IdFor(source, events), project, source, prompt ?? [new RequestMessage("user", "Capital of Australia?")],
            chosen, "Sydney.", confidence, "t-" + Guid.NewGuid().ToString("N")[..6], events, model, modelVersion, "u1", createdAt);
    }

    public static Task InsertAsync(IClickHouse store, params PreferencePair[] pairs) => store.InsertAsync("pairs", pairs);

    public static async Task<string> ExportTextAsync(IClickHouse store, string format, ExportFilter filter)
    {
        using var output = new MemoryStream();
        await new PairExport(store).WriteAsync(format, filter, output);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
