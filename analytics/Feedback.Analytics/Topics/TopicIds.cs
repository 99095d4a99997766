namespace Feedback.Analytics.Topics;

/// <summary>Topic ids as the API shows them: <c>tp_</c> and the number.</summary>
public static class TopicIds
{
    private const string Prefix = "tp_";

    public static string Format(uint id) => Prefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out uint id)
    {
        id = 0;
        return text is not null && text.StartsWith(Prefix, StringComparison.Ordinal)
            && uint.TryParse(text.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
    }
}
