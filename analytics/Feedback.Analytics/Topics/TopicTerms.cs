using System.Text.RegularExpressions;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Each cluster's distinctive words and two-word phrases, class-based TF-IDF (as BERTopic labels its topics): a
/// term scores by the share of the cluster's complaints that use it times log(1 + clusters / clusters using it),
/// so words every complaint says ("wrong", "answer") sink and what sets the cluster apart rises. A phrase replaces
/// its own words ("time zone" rather than "time" and "zone"); a term must occur in at least two complaints.
/// </summary>
internal static partial class TopicTerms
{
    // Function words, and the words every complaint about an answer uses whatever its topic.
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "a", "about", "actually", "again", "all", "also", "am", "an", "and", "answer", "any", "are", "as", "at", "be",
        "because", "been", "but", "by", "can", "could", "did", "didn", "do", "does", "doesn", "don", "for", "from",
        "get", "got", "had", "has", "have", "he", "her", "here", "his", "how", "i", "if", "im", "in", "into", "is",
        "isn", "it", "its", "just", "like", "ll", "me", "my", "no", "not", "now", "of", "ok", "okay", "on", "one", "or",
        "please", "re", "really", "s", "said", "say", "she", "so", "still", "t", "than", "that", "thats", "the",
        "their", "them", "then", "there", "these", "they", "this", "to", "too", "um", "up", "us", "ve", "very", "was",
        "wasn", "we", "were", "what", "whats", "when", "which", "who", "why", "will", "with", "would", "yeah", "yes",
        "you", "your", "youre", "m", "d", "even", "only", "some", "want", "wanted", "asked", "ask", "told", "tell",
        "know", "think", "thing", "things", "gave", "give", "make", "made", "way", "need", "should", "mean", "meant",
        "lol", "ugh", "hmm", "wow", "thanks", "thank", "hey", "hi", "pls", "plz", "u", "ur", "right", "wrong", "bad",
        "good", "nope", "same", "another", "more", "much", "ca", "wo", "isnt", "dont", "doesnt", "didnt", "cant", "wont",
        "theres", "ive", "youve", "wasnt", "arent", "shouldnt", "couldnt", "wouldnt", "though", "cannot",
    };

    public static IReadOnlyList<IReadOnlyList<string>> Distinctive(IReadOnlyList<string> texts, IReadOnlyList<int> clusters, int clusterCount, int take)
    {
        var used = new Dictionary<string, int>[clusterCount]; // term → complaints of the cluster using it
        for (var c = 0; c < clusterCount; c++) used[c] = new(StringComparer.Ordinal);
        var sizes = new int[clusterCount];
        for (var i = 0; i < texts.Count; i++)
        {
            if (clusters[i] < 0) continue;
            sizes[clusters[i]]++;
            foreach (var term in Terms(texts[i]).Distinct()) used[clusters[i]][term] = used[clusters[i]].GetValueOrDefault(term) + 1;
        }
        var clustersUsing = used.SelectMany(u => u.Keys).GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        return Enumerable.Range(0, clusterCount).Select(c =>
        {
            var scored = used[c].Where(u => u.Value >= 2)
                .Select(u => (Term: u.Key, Score: (double)u.Value / sizes[c] * Math.Log(1 + (double)clusterCount / clustersUsing[u.Key])))
                .OrderByDescending(t => t.Score).ThenBy(t => t.Term, StringComparer.Ordinal)
                .ToList();
            var chosen = new List<string>();
            foreach (var (term, _) in scored)
            {
                if (chosen.Count == take) break;
                // A phrase and its own words say the same: keep whichever came first, once.
                if (chosen.Any(t => t.Split(' ').Intersect(term.Split(' ')).Any())) continue;
                chosen.Add(term);
            }
            return (IReadOnlyList<string>)chosen;
        }).ToList();
    }

    /// <summary>The words (no function words, no numbers) and adjacent word pairs of a text.</summary>
    public static IEnumerable<string> Terms(string text)
    {
        // "isn't", "didn’t", "there's": the contraction's first word, without its ending, so "isnt" never becomes a term.
        var words = Word().Matches(text.ToLowerInvariant().Replace('’', '\'')).Select(m => Contraction().Replace(m.Value, "").Replace("'", "", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < words.Count; i++)
        {
            if (Common.Contains(words[i]) || words[i].Length < 2) continue;
            yield return words[i];
            if (i + 1 < words.Count && !Common.Contains(words[i + 1]) && words[i + 1].Length >= 2) yield return words[i] + " " + words[i + 1];
        }
    }

    [GeneratedRegex(@"[\p{L}][\p{L}']*")]
    private static partial Regex Word();

    [GeneratedRegex(@"(n't|'s|'re|'ve|'ll|'m|'d)$")]
    private static partial Regex Contraction();
}
