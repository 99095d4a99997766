namespace Feedback.Analytics.Mining;

/// <summary>Text comparisons the pair miners share.</summary>
public static class MiningText
{
    /// <summary>True when the texts differ only in whitespace: such an "other" answer or edit says nothing.</summary>
    public static bool SameIgnoringWhitespace(string a, string b) =>
        a.Where(c => !char.IsWhiteSpace(c)).SequenceEqual(b.Where(c => !char.IsWhiteSpace(c)));
}
