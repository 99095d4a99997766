namespace Feedback.Simulation;

/// <summary>One source's counts; precision is 1 when nothing was mined, recall 1 when nothing was expected.</summary>
public sealed record SourceScore(string Source, int Expected, int Mined, int Right)
{
    public double Precision => Mined == 0 ? 1 : (double)Right / Mined;

    public double Recall => Expected == 0 ? 1 : (double)Right / Expected;
}
