namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Calibration by one temperature (Guo et al., 2017): p_i ∝ p_i^(1/T), with T fitted on a validation split to
/// minimise the negative log-likelihood of the gold labels. It changes the confidences, never which label wins.
/// </summary>
public static class TemperatureScaling
{
    public static float Apply(ReadOnlySpan<float> probabilities, float temperature, Span<float> calibrated)
    {
        // Each scaled logit once, then its exponential once: this runs for every prediction.
        Span<double> scaled = stackalloc double[probabilities.Length];
        var max = double.NegativeInfinity;
        for (var i = 0; i < probabilities.Length; i++) max = Math.Max(max, scaled[i] = Logit(probabilities[i]) / temperature);
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++) sum += scaled[i] = Math.Exp(scaled[i] - max);
        var best = 0f;
        for (var i = 0; i < probabilities.Length; i++)
        {
            calibrated[i] = (float)(scaled[i] / sum);
            best = Math.Max(best, calibrated[i]);
        }
        return best;
    }

    /// <summary>The temperature that minimises the negative log-likelihood of <paramref name="gold"/> (indices).</summary>
    public static float Fit(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> gold)
    {
        // The NLL is convex in 1/T, so a golden-section search over log T finds its minimum.
        double lo = Math.Log(0.05), hi = Math.Log(20);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        for (var step = 0; step < 60; step++)
        {
            var a = hi - ratio * (hi - lo);
            var b = lo + ratio * (hi - lo);
            if (Nll(probabilities, gold, Math.Exp(a)) < Nll(probabilities, gold, Math.Exp(b))) hi = b;
            else lo = a;
        }
        return (float)Math.Exp((lo + hi) / 2);
    }

    private static double Nll(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> gold, double temperature)
    {
        double total = 0;
        var calibrated = new float[probabilities[0].Length];
        for (var n = 0; n < probabilities.Count; n++)
        {
            Apply(probabilities[n], (float)temperature, calibrated);
            total -= Math.Log(Math.Max(calibrated[gold[n]], 1e-12));
        }
        return total / probabilities.Count;
    }

    private static double Logit(float probability) => Math.Log(Math.Max(probability, 1e-12f));
}
