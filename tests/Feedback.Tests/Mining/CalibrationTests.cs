using Feedback.Analytics.Mining.FollowUps;
using Feedback.Training.FollowUps;

namespace Feedback.Tests.Mining;

/// <summary>Temperature scaling and the reliability table: pure arithmetic.</summary>
public sealed class CalibrationTests
{
    [Fact]
    public void Temperature_scaling_keeps_the_winner_and_softens_or_sharpens_its_confidence()
    {
        float[] probabilities = [0.7f, 0.2f, 0.1f];
        var softer = new float[3];
        var sharper = new float[3];

        var soft = TemperatureScaling.Apply(probabilities, 2f, softer);
        var sharp = TemperatureScaling.Apply(probabilities, 0.5f, sharper);
        var same = TemperatureScaling.Apply(probabilities, 1f, new float[3]);

        Assert.Equal(0.7f, same, 4);
        Assert.True(soft < 0.7f && sharp > 0.7f, $"{soft} {sharp}");
        Assert.Equal(0, Array.IndexOf(softer, softer.Max()));
        Assert.Equal(1f, softer.Sum(), 4);
        Assert.Equal(1f, sharper.Sum(), 4);
        // p^(1/T), normalised: at T = 2 the ratio of the first two is sqrt(0.7 / 0.2).
        Assert.Equal(MathF.Sqrt(0.7f / 0.2f), softer[0] / softer[1], 3);
    }

    [Fact]
    public void An_overconfident_model_gets_a_temperature_above_one_and_a_calibrated_one_about_one()
    {
        // Always 95 % sure of label 0, right only 60 % of the time.
        var overconfident = Enumerable.Range(0, 100).Select(_ => new[] { 0.95f, 0.05f }).ToList();
        var gold = Enumerable.Range(0, 100).Select(i => i < 60 ? 0 : 1).ToList();
        // 60 % sure and right 60 % of the time.
        var calibrated = Enumerable.Range(0, 100).Select(_ => new[] { 0.6f, 0.4f }).ToList();

        var hot = TemperatureFitting.Fit(overconfident, gold);
        var neutral = TemperatureFitting.Fit(calibrated, gold);

        Assert.True(hot > 2f, $"T = {hot}");
        Assert.InRange(neutral, 0.98f, 1.02f);
        Assert.Equal(0.6f, TemperatureScaling.Apply(overconfident[0], hot, new float[2]), 2); // the 60 % it is right
    }

    [Fact]
    public void The_expected_calibration_error_weighs_each_bins_gap_by_its_size()
    {
        // Bin 0.9–1.0: 4 predictions at 0.95, 2 right (gap 0.45); bin 0.5–0.6: 4 at 0.55, 2 right (gap 0.05).
        float[] confidences = [0.95f, 0.95f, 0.95f, 0.95f, 0.55f, 0.55f, 0.55f, 0.55f];
        bool[] correct = [true, true, false, false, true, true, false, false];

        var report = CalibrationReport.Compute(confidences, correct);

        Assert.Equal(0.5 * 0.45 + 0.5 * 0.05, report.ExpectedCalibrationError, 4);
        Assert.Equal(2, report.Bins.Count(b => b.Count > 0));
        Assert.Contains("| 0.9–1.0 | 4 | 0.950 | 0.500 |", report.ToMarkdown());
    }
}
