using System.Diagnostics.Metrics;

namespace Feedback.Analytics.Loading;

/// <summary>
/// What the loader did, as .NET metrics (meter <c>Feedback.Loader</c>: dotnet-counters, OpenTelemetry) and as
/// plain numbers for logs and tests.
/// </summary>
public sealed class LoaderMetrics : IDisposable
{
    public const string MeterName = "Feedback.Loader";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> rows;
    private readonly Counter<long> deadLetters;
    private long loaded;
    private long deadLettered;
    private long lag;

    public LoaderMetrics()
    {
        rows = meter.CreateCounter<long>("feedback.loader.rows", description: "Events inserted into the store");
        deadLetters = meter.CreateCounter<long>("feedback.loader.dead_letters", description: "Messages sent to the dead-letter topic");
        meter.CreateObservableGauge("feedback.loader.lag", () => Lag, description: "Messages in assigned partitions not yet loaded");
    }

    public long Loaded => Interlocked.Read(ref loaded);

    public long DeadLettered => Interlocked.Read(ref deadLettered);

    public long Lag => Interlocked.Read(ref lag);

    public void AddLoaded(int count)
    {
        Interlocked.Add(ref loaded, count);
        rows.Add(count);
    }

    public void AddDeadLettered(int count)
    {
        Interlocked.Add(ref deadLettered, count);
        deadLetters.Add(count);
    }

    public void SetLag(long value) => Interlocked.Exchange(ref lag, value);

    public void Dispose() => meter.Dispose();
}
