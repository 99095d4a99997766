namespace Feedback.Privacy;

/// <summary>
/// One redaction. Must return the same instance when it finds nothing (so clean texts cost no allocation) and
/// must be safe to call from many threads.
/// </summary>
public interface IRedactionRule
{
    /// <summary>Returns <paramref name="text"/> with what the rule finds replaced; the same instance when it finds nothing.</summary>
    string Redact(string text);
}
