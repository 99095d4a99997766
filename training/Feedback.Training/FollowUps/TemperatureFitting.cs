using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>
/// Fits the one temperature of <see cref="TemperatureScaling"/> on a validation split: the one that minimises the
/// negative log-likelihood of the gold labels.
/// </summary>
public static class TemperatureFitting
{
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
            TemperatureScaling.Apply(probabilities[n], (float)temperature, calibrated);
            total -= Math.Log(Math.Max(calibrated[gold[n]], 1e-12));
        }
        return total / probabilities.Count;
    }
}
