using System.Diagnostics;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Store.ChDb;

/// <summary>The reaction predictor's scoring of turns without a reaction (<see cref="TurnScoringJob"/>), docs/benchmarks.md.</summary>
internal static class ScoringBenchmark
{
    /// <summary>
    /// Loads simulated conversations until <paramref name="turns"/> turns, derives their signals and trains the
    /// project's predictor (not timed), then times a full scoring run, and an incremental one after 1 % more turns.
    /// </summary>
    public static async Task RunAsync(ChDbEngine engine, int turns)
    {
        var clock = TimeProvider.System;
        var project = "scoring-" + Guid.NewGuid().ToString("N")[..8];
        var (loaded, events, _) = await MiningBenchmark.LoadAsync(engine, project, seed: 1, turns);
        await new TurnSignalsJob(engine, clock).DeriveAsync();
        var predictors = new ReactionPredictors(engine, clock);
        var trained = await predictors.TrainAsync(project);
        Console.WriteLine($"loaded {loaded} simulated turns ({events} events), signals derived, predictor trained on {trained.TrainTurns} reacted turns (AUC {trained.Auc:0.000})");

        await TimeAsync("full scoring run", () => new TurnScoringJob(engine, predictors, clock).ScoreAsync());
        var (more, _, _) = await MiningBenchmark.LoadAsync(engine, project, seed: 2, turns / 100);
        await new TurnSignalsJob(engine, clock).DeriveAsync();
        await TimeAsync($"incremental scoring run after {more} new turns", () => new TurnScoringJob(engine, predictors, clock).ScoreAsync());
    }

    private static async Task TimeAsync(string name, Func<Task<int>> run)
    {
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var scored = await run();
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: {scored} turns scored in {seconds:0.00} s = {scored / seconds:0} turns/s (CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s)");
    }
}
