namespace Feedback.Privacy;

/// <summary>
/// One redaction: returns <paramref name="text"/> with what it finds replaced. Must return the same instance
/// when it finds nothing (so clean texts cost no allocation) and must be safe to call from many threads.
/// </summary>
public interface IRedactionRule
{
    string Redact(string text);
}
