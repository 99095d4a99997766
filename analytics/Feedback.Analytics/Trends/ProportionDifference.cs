namespace Feedback.Analytics.Trends;

/// <summary>
/// Confidence interval for the difference of two independent proportions, p_b − p_a: Newcombe's hybrid score
/// interval (method 10 of Newcombe 1998), built from each side's Wilson score interval. Unlike the normal
/// approximation it stays inside [−1, 1] and behaves at rates near 0 or 1 and at small counts.
/// </summary>
public static class ProportionDifference
{
    public static RateDifference Interval(long successesA, long trialsA, long successesB, long trialsB, double confidence)
    {
        if (trialsA <= 0 || trialsB <= 0) return new RateDifference(null, null, null, false);
        var z = NormalQuantile(1 - (1 - confidence) / 2);
        double pa = (double)successesA / trialsA, pb = (double)successesB / trialsB;
        var (la, ua) = Wilson(successesA, trialsA, z);
        var (lb, ub) = Wilson(successesB, trialsB, z);
        var estimate = pb - pa;
        var low = estimate - Math.Sqrt((pb - lb) * (pb - lb) + (ua - pa) * (ua - pa));
        var high = estimate + Math.Sqrt((ub - pb) * (ub - pb) + (pa - la) * (pa - la));
        return new RateDifference(estimate, low, high, Significant: low > 0 || high < 0);
    }

    /// <summary>Wilson score interval of one proportion.</summary>
    public static (double Low, double High) Wilson(long successes, long trials, double z)
    {
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Inverse of the standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "between 0 and 1, exclusive");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) return -NormalQuantile(1 - p);
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
