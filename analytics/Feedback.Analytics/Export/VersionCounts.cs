namespace Feedback.Analytics.Export;

/// <summary>A model version's pairs and clear labels (<see cref="BiasReport"/>).</summary>
public sealed record VersionCounts(string Model, string ModelVersion, long Pairs, long PositiveLabels, long NegativeLabels);
