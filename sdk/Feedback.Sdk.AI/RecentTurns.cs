using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Feedback.AI;

/// <summary>
/// Recent turns by the text of their answer, and the follow-ups already recorded; bounded and thread-safe.
/// Texts are kept as hashes only, so memory stays small whatever the answers' length.
/// </summary>
internal sealed class RecentTurns(int capacity)
{
    private readonly ConcurrentDictionary<string, TurnRef> byAnswer = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> followUps = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> order = new();

    public void Add(string scope, string answer, TurnRef turn)
    {
        var key = "a\n" + scope + "\n" + Hash(answer);
        byAnswer[key] = turn;
        Remember(key);
    }

    public TurnRef? Find(string scope, string answer) =>
        byAnswer.TryGetValue("a\n" + scope + "\n" + Hash(answer), out var turn) ? turn : null;

    /// <summary>True the first time; false when this message was already recorded as this turn's follow-up (a regenerated request repeats it).</summary>
    public bool FirstFollowUp(string turnId, string message)
    {
        var key = "f\n" + turnId + "\n" + Hash(message);
        if (!followUps.TryAdd(key, 0)) return false;
        Remember(key);
        return true;
    }

    private void Remember(string key)
    {
        order.Enqueue(key);
        while (order.Count > capacity && order.TryDequeue(out var oldest))
        {
            byAnswer.TryRemove(oldest, out _);
            followUps.TryRemove(oldest, out _);
        }
    }

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
