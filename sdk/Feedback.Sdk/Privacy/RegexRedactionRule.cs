using System.Text.RegularExpressions;

namespace Feedback.Privacy;

/// <summary>A custom rule: every match of <see cref="Pattern"/> becomes <see cref="Replacement"/>.</summary>
public sealed class RegexRedactionRule : IRedactionRule
{
    /// <summary>Takes a ready regex, ideally a <c>[GeneratedRegex]</c> one.</summary>
    public RegexRedactionRule(Regex pattern, string replacement)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(replacement);
        Pattern = pattern;
        Replacement = replacement;
    }

    /// <summary>Compiles <paramref name="pattern"/> once; culture-invariant.</summary>
    public RegexRedactionRule(string pattern, string replacement)
        : this(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), replacement)
    {
    }

    /// <summary>What the rule looks for.</summary>
    public Regex Pattern { get; }

    /// <summary>Taken literally: <c>$1</c> and the like are not expanded, so a placeholder can never leak a match.</summary>
    public string Replacement { get; }

    // Regex.Replace returns the input itself when nothing matched. The evaluator keeps Replacement literal.
    /// <inheritdoc />
    public string Redact(string text) => Pattern.Replace(text, _ => Replacement);

    /// <summary>The pattern and its replacement, for logs.</summary>
    public override string ToString() => $"{Pattern} → {Replacement}";
}
