namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Calibration by one temperature (Guo et al., 2017): p_i ∝ p_i^(1/T), with T fitted on a validation split
/// (Feedback.Training's TemperatureFitting). It changes the confidences, never which label wins.
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

    private static double Logit(float probability) => Math.Log(Math.Max(probability, 1e-12f));
}
