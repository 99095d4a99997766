namespace Feedback.Analytics.Export;

/// <summary>A pair source's pairs, and how many have the chosen answer longer or shorter than the rejected one.</summary>
public sealed record SourceLengths(string Source, long Pairs, long ChosenLonger, long ChosenShorter);
