using System.Diagnostics;
using Feedback.Analytics.Store;
using Feedback.Analytics.Trends;

/// <summary>
/// Trend query latency as the store grows (issue 6): for each size, a project of its own whose turns are generated
/// in the engine (INSERT ... SELECT FROM numbers()) in time order over 90 days, as they arrive in production (turn
/// ids time-ordered, like the SDK's UUIDv7), ~10% of them re-derived (a second, newer turn_signals row), pairs for
/// the edited ones; then the read API's queries run through <see cref="TrendReports"/>, as the server runs them.
/// </summary>
internal static class TrendLatency
{
    private static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Span = TimeSpan.FromDays(90);
    private const int Runs = 5;

    // Signals at plausible rates: 6% thumbs up, 4% down, 2% edits, 3% regenerates, 1% choices, 5% copies, 20% follow-ups.
    private const string Generate = """
        INSERT INTO turn_signals
            (project, turn_id, conversation_id, user_id, model, model_version, turn_timestamp, reaction_polarity, thumbs_up,
             thumbs_down, emoji_polarity, rating_normalized, edited, edit_distance_ratio, regenerated, chosen, not_chosen, copied,
             follow_up_label, follow_up_confidence, event_count, events_received_at, derived_at, prompt_template, stage, metadata)
        SELECT
            {project:String},
            concat(leftPad(hex(toUnixTimestamp64Milli(ts)), 12, '0'), '-', toString(n)),
            concat('c', toString(intDiv(n, 5))),
            concat('u', toString(n % 20000)),
            'gpt-x',
            arrayElement(['v1', 'v2', 'v3'], 1 + cityHash64(n, 1) % 3),
            ts,
            multiIf(cityHash64(n, 2) % 100 < 6, 1, cityHash64(n, 2) % 100 < 10, -1, 0) AS polarity,
            polarity > 0, polarity < 0, 0, NULL,
            cityHash64(n, 3) % 100 < 2 AS is_edited,
            if(is_edited, (cityHash64(n, 4) % 1000) / 1000, NULL),
            cityHash64(n, 5) % 100 < 3,
            cityHash64(n, 6) % 100 < 1, 0,
            cityHash64(n, 7) % 100 < 5,
            if(cityHash64(n, 8) % 100 < 20, arrayElement(['positive', 'rephrase', 'correction', 'complaint', 'clarification', 'none'], 1 + cityHash64(n, 9) % 6), '') AS label,
            if(label = '', NULL, 0.8),
            2, ts, ts,
            arrayElement(['qa', 'summarise', 'code', 'chat'], 1 + cityHash64(n, 10) % 4),
            arrayElement(['draft', 'final'], 1 + cityHash64(n, 11) % 2),
            map('locale', arrayElement(['en', 'de', 'fr', 'es', 'ja'], 1 + cityHash64(n, 12) % 5), 'plan', arrayElement(['free', 'pro'], 1 + cityHash64(n, 13) % 2))
        FROM
        (
            SELECT number + {offset:UInt64} AS n,
                   {start:DateTime64(3, 'UTC')} + toIntervalMillisecond(intDiv(n * {span_ms:UInt64}, {size:UInt64}) + cityHash64(n, 0) % 1000) AS ts
            FROM numbers({count:UInt64})
        )
        """;

    // A later derivation of every tenth new turn (the user's thumb arrived later): FINAL must keep the newer row only.
    private const string Rederive = """
        INSERT INTO turn_signals
        SELECT * REPLACE (1 AS reaction_polarity, 1 AS thumbs_up, 0 AS thumbs_down, derived_at + toIntervalHour(1) AS derived_at)
        FROM turn_signals
        WHERE project = {project:String} AND turn_timestamp >= {batch_start:DateTime64(3, 'UTC')}
          AND toUInt64(splitByChar('-', turn_id)[2]) >= {offset:UInt64} AND cityHash64(turn_id) % 10 = 0
        """;

    private const string MinePairs = """
        INSERT INTO pairs (pair_id, project, source, chosen, rejected, confidence, turn_id, model, model_version, user_id, created_at)
        SELECT generateUUIDv4(), project, 'edit', 'better', 'worse', 0.9, turn_id, model, model_version, user_id, derived_at
        FROM turn_signals
        WHERE project = {project:String} AND turn_timestamp >= {batch_start:DateTime64(3, 'UTC')}
          AND edited = 1 AND toUInt64(splitByChar('-', turn_id)[2]) >= {offset:UInt64}
        """;

    public static async Task RunAsync(IClickHouse store, IReadOnlyList<long> sizes)
    {
        var reports = new TrendReports(store);
        Console.WriteLine("| turns | query | median | max |");
        Console.WriteLine("| ---: | --- | ---: | ---: |");
        foreach (var size in sizes)
        {
            var project = $"trends-{size}";
            var clock = Stopwatch.StartNew();
            for (long offset = 0; offset < size; offset += 1_000_000)
            {
                var count = Math.Min(1_000_000, size - offset);
                var parameters = new
                {
                    project,
                    offset = (ulong)offset,
                    count = (ulong)count,
                    size = (ulong)size,
                    start = End - Span,
                    span_ms = (ulong)Span.TotalMilliseconds,
                    batch_start = End - Span + Span * ((double)offset / size),
                };
                await store.ExecuteAsync(Generate, parameters);
                await store.ExecuteAsync(Rederive, parameters);
                await store.ExecuteAsync(MinePairs, parameters);
            }
            await Console.Error.WriteLineAsync($"generated {size:N0} turns in {clock.Elapsed.TotalSeconds:0.0} s");

            var month = new TrendFilter { Project = project, From = End.AddDays(-30), To = End };
            var quarter = month with { From = End - Span };
            var week = month with { From = End.AddDays(-7) };
            await MeasureAsync(size, "30 days, daily, one series", () => reports.TrendsAsync(month, TrendInterval.Day, null));
            await MeasureAsync(size, "30 days, daily, by model_version", () => reports.TrendsAsync(month, TrendInterval.Day, TrendField.ModelVersion));
            await MeasureAsync(size, "7 days, hourly, by metadata.locale", () => reports.TrendsAsync(week, TrendInterval.Hour, TrendField.Parse("metadata.locale")));
            await MeasureAsync(size, "90 days, weekly, by prompt_template, stage = final", () => reports.TrendsAsync(quarter with { Stages = ["final"] }, TrendInterval.Week, TrendField.Parse("prompt_template")));
            await MeasureAsync(size, "compare v1 vs v2, 30 days", () => reports.CompareAsync(month, TrendField.ModelVersion, "v1", "v2", 0.95));
        }
    }

    private static async Task MeasureAsync<T>(long size, string name, Func<Task<T>> query)
    {
        await query(); // warm-up: first read of the parts
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await query();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"| {size:N0} | {name} | {times[Runs / 2]:0} ms | {times[^1]:0} ms |");
    }
}
