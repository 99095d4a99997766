namespace Feedback.Analytics.Mining.Labels;

/// <summary>
/// Turns a turn's signals into one unpaired label (docs/mining.md, "Unpaired labels"). Every signal that says
/// something about the answer on its own casts a vote with a confidence; a turn has a clear signal when it has at
/// least one vote and all votes agree. Its label is their polarity and its confidence the strongest vote's (more
/// votes do not add up: a thumb and an emoji are often the same person in the same second). The votes are SQL
/// (<see cref="VotesSql"/>), so <see cref="TurnLabelJob"/> labels in ClickHouse without moving turns to C#.
/// </summary>
public static class LabelRules
{
    public const float ThumbConfidence = 0.8f;
    public const float RatingConfidence = 0.75f;
    public const float EmojiConfidence = 0.7f;
    public const float HeavyEditConfidence = 0.8f;
    public const float RegenerateConfidence = 0.6f;
    public const float CopyConfidence = 0.55f;

    /// <summary>A follow-up's vote: this times the classifier's probability (the label can be wrong).</summary>
    public const float FollowUpWeight = 0.8f;

    /// <summary>A rephrase may be the user's own unclear request, so it counts a little less.</summary>
    public const float RephraseWeight = 0.7f;

    /// <summary>Follow-up labels below this probability cast no vote.</summary>
    public const float MinFollowUpConfidence = 0.5f;

    /// <summary>Ratings at or above this share of their scale are positive (as for regenerate pairs).</summary>
    public const double HighRating = 0.8;

    /// <summary>Ratings at or below this share of their scale are negative.</summary>
    public const double LowRating = 0.4;

    /// <summary>An edit changing at least this share of the answer rejects it; a lighter one is a touch-up, no vote.</summary>
    public const double HeavyEdit = 0.3;

    /// <summary>
    /// SQL over a <c>turn_signals</c> row: its votes in this order, each a tuple (signal, evidence, polarity,
    /// confidence). Needs <see cref="Parameters"/>.
    /// </summary>
    public const string VotesSql = """
        arrayFilter(v -> v.1 != '', [
            if(thumbs_up > 0, ('thumb_up', 'reaction', toInt8(1), {thumb_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(thumbs_down > 0, ('thumb_down', 'reaction', toInt8(-1), {thumb_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(ifNull(rating_normalized >= {high_rating:Float64}, 0), ('rating_high', 'reaction', toInt8(1), {rating_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(ifNull(rating_normalized <= {low_rating:Float64}, 0), ('rating_low', 'reaction', toInt8(-1), {rating_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(emoji_polarity != 0, (if(emoji_polarity > 0, 'emoji_positive', 'emoji_negative'), 'reaction', toInt8(sign(emoji_polarity)), {emoji_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(edited = 1 AND ifNull(edit_distance_ratio >= {heavy_edit:Float64}, 0), ('heavy_edit', 'edit', toInt8(-1), {heavy_edit_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(regenerated = 1, ('regenerate', 'regenerate', toInt8(-1), {regenerate_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            if(copied = 1, ('copy', 'copy', toInt8(1), {copy_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
            -- a follow-up votes with the classifier's probability; clarification and none say nothing about good or bad
            if(ifNull(follow_up_confidence >= {min_follow_up_confidence:Float32}, 0) AND follow_up_label IN ('positive', 'complaint', 'correction', 'rephrase'),
                (concat('follow_up_', follow_up_label), 'follow_up', toInt8(if(follow_up_label = 'positive', 1, -1)),
                    toFloat32(if(follow_up_label = 'rephrase', {rephrase_weight:Float32}, {follow_up_weight:Float32}) * ifNull(follow_up_confidence, 0))),
                ('', '', toInt8(0), toFloat32(0)))
        ])
        """;

    /// <summary>The values of <see cref="VotesSql"/>'s parameters: the constants above.</summary>
    public static IReadOnlyDictionary<string, object?> Parameters { get; } = new Dictionary<string, object?>
    {
        ["thumb_confidence"] = ThumbConfidence,
        ["rating_confidence"] = RatingConfidence,
        ["emoji_confidence"] = EmojiConfidence,
        ["heavy_edit_confidence"] = HeavyEditConfidence,
        ["regenerate_confidence"] = RegenerateConfidence,
        ["copy_confidence"] = CopyConfidence,
        ["follow_up_weight"] = FollowUpWeight,
        ["rephrase_weight"] = RephraseWeight,
        ["min_follow_up_confidence"] = MinFollowUpConfidence,
        ["high_rating"] = HighRating,
        ["low_rating"] = LowRating,
        ["heavy_edit"] = HeavyEdit,
    };
}

/// <summary>What kind of event decided a label: the <c>source</c> of a label row and its export filter.</summary>
public static class LabelSources
{
    /// <summary>Thumbs, ratings and emoji.</summary>
    public const string Reaction = "reaction";
    public const string Edit = "edit";
    public const string Regenerate = "regenerate";
    public const string Copy = "copy";
    public const string FollowUp = "follow_up";
}
