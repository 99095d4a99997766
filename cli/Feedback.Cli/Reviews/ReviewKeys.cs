namespace Feedback.Cli.Reviews;

/// <summary>
/// Where a review session's answers come from: one keypress at a time in a terminal, or one line per item when
/// stdin is redirected (a script, a test), with the same keys. A key is its lower-case text; Enter is "".
/// Null means the input ended, which the session takes as quit.
/// </summary>
public sealed class ReviewKeys
{
    private readonly Func<string?> next;

    private ReviewKeys(Func<string?> next) => this.next = next;

    /// <summary>Keypresses of the terminal, not echoed.</summary>
    public static ReviewKeys FromTerminal() => new(() =>
    {
        var key = Console.ReadKey(intercept: true);
        return key.Key == ConsoleKey.Enter ? "" : key.KeyChar.ToString().ToLowerInvariant();
    });

    /// <summary>One answer per line: a key, or a label's name; an empty line is Enter.</summary>
    public static ReviewKeys FromLines(TextReader input) => new(() => input.ReadLine()?.Trim().ToLowerInvariant());

    /// <summary>The terminal's keys, or its lines when stdin is not a terminal.</summary>
    public static ReviewKeys FromConsole() => Console.IsInputRedirected ? FromLines(Console.In) : FromTerminal();

    public string? Next() => next();
}
