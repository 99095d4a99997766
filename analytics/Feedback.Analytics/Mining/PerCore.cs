namespace Feedback.Analytics.Mining;

/// <summary>
/// Runs a model over many inputs on every core: the inputs are split into one contiguous share per worker (each
/// worker its own ML.NET prediction engine, which is not thread-safe), results in input order.
/// </summary>
internal static class PerCore
{
    public static TResult[] Map<TWorker, TInput, TResult>(IReadOnlyList<TInput> inputs, IReadOnlyList<TWorker> workers, Func<TWorker, TInput, TResult> run)
    {
        var results = new TResult[inputs.Count];
        var share = (inputs.Count + workers.Count - 1) / workers.Count;
        Parallel.For(0, workers.Count, w =>
        {
            for (var i = w * share; i < Math.Min(inputs.Count, (w + 1) * share); i++) results[i] = run(workers[w], inputs[i]);
        });
        return results;
    }
}
