using System.Security.Cryptography;
using System.Text;
using Feedback.Events;

namespace Feedback.Analytics.Model;

/// <summary>A row of the <c>pairs</c> table (Schema/Migrations/0003_pairs.sql): one preference with its lineage.</summary>
public sealed record PreferencePair(
    Guid PairId,
    string Project,
    string Source,
    IReadOnlyList<RequestMessage> Prompt,
    string Chosen,
    string Rejected,
    float Confidence,
    string TurnId,
    IReadOnlyList<Guid> SourceEventIds,
    string Model,
    string ModelVersion,
    string UserId,
    DateTimeOffset CreatedAt)
{
    /// <summary>1 when a person reviewed the label the pair rests on (a follow-up pair's correction: docs/reviews.md).</summary>
    public byte Reviewed { get; init; }

    /// <summary>A newly mined pair, its id derived from its source and lineage (<see cref="IdFor"/>).</summary>
    public static PreferencePair Mined(
        string source, IReadOnlyList<Guid> lineage, string project, IReadOnlyList<RequestMessage> prompt, string chosen, string rejected,
        float confidence, string turnId, string model, string modelVersion, string userId, DateTimeOffset createdAt) =>
        new(IdFor(source, lineage), project, source, prompt, chosen, rejected, confidence, turnId, lineage, model, modelVersion, userId, createdAt);

    /// <summary>A pair's id follows from its source and source events, so re-mining yields the same id.</summary>
    public static Guid IdFor(string source, IEnumerable<Guid> sourceEventIds)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(source + ":" + string.Join(",", sourceEventIds)));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a custom, name-derived UUID (RFC 9562)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
