namespace Feedback.Simulation;

/// <summary>
/// One thing users ask about, with what the simulator needs to play both a good and a bad model: answers of each
/// kind, the wrong bit of the bad answer and the right one (for corrections), rephrasings of the request and a
/// question about the answer.
/// </summary>
public sealed record Topic(
    string Request, string[] Good, string[] Bad, string Wrong, string Right, string[] Rephrasings, string Question);
