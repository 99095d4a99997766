namespace Feedback.Simulation;

/// <summary>
/// A pair mining should find. A mined pair matches when source, turn id and rejected text are equal and its
/// chosen text is one of <see cref="Chosen"/> (for most sources exactly one text; for same-request pairs any good
/// answer to the request, since which approved answer is picked is the miner's choice).
/// </summary>
public sealed record ExpectedPair(string Source, string TurnId, string Rejected, IReadOnlySet<string> Chosen);
