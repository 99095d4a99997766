using System.Security.Cryptography;
using System.Text;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

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

    /// <summary>
    /// SQL for <see cref="IdFor"/>, for ids made in ClickHouse: <paramref name="source"/> is a SQL String
    /// expression and <paramref name="sourceEventIds"/> an Array(UUID) one (UUIDs print in the same lower-case form).
    /// </summary>
    public static string IdSql(string source, string sourceEventIds) => $$"""
        toUUID(replaceRegexpOne(
            concat(
                substring(lower(hex(SHA256(concat({{source}}, ':', arrayStringConcat(arrayMap(id -> toString(id), {{sourceEventIds}}), ','))) AS id_hash)), 1, 12),
                '8',
                substring(lower(hex(id_hash)), 14, 3),
                substring('89ab', bitAnd(bitShiftRight(reinterpretAsUInt8(substring(id_hash, 9, 1)), 4), 3) + 1, 1),
                substring(lower(hex(id_hash)), 18, 15)),
            '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5'))
        """;
}

/// <summary>Where a pair came from (the research brief's pair sources, strongest first).</summary>
public static class PairSources
{
    public const string Edit = "edit";

    /// <summary>The user picked one of several answers shown; never mixed with ratings-derived pairs (filter on <c>source</c>).</summary>
    public const string Choice = "choice";

    /// <summary>The user asked for a new answer and then approved it.</summary>
    public const string Regenerate = "regenerate";

    /// <summary>A correction or rephrase follow-up, then a later answer in the conversation that the user approved.</summary>
    public const string FollowUp = "follow_up";

    /// <summary>The same normalised request answered differently, one answer approved and one disapproved (thumbs, emoji).</summary>
    public const string SameRequest = "same_request";

    /// <summary>As <see cref="SameRequest"/>, but at least one side judged only by a rating: ratings-derived, so kept apart.</summary>
    public const string SameRequestRating = "same_request_rating";
}
