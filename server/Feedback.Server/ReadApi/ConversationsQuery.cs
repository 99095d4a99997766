using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Conversations;
using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>The query string of <c>GET /v1/conversations</c>: the common filters, the series, the signal and the page.</summary>
public sealed class ConversationsQuery : TurnFilterQuery
{
    /// <summary>The field of the series a data point belongs to (with <see cref="Key"/>).</summary>
    [FromQuery(Name = "by")] public string? By { get; set; }

    /// <summary>The series' value of <see cref="By"/>.</summary>
    [FromQuery(Name = "key")] public string? Key { get; set; }

    /// <summary><c>any</c>, <c>positive</c> or <c>negative</c>: only conversations with such a turn.</summary>
    [FromQuery(Name = "signal")] public string? Signal { get; set; }

    /// <summary>A topic id (<c>tp_3</c>): only the topic's turns.</summary>
    [FromQuery(Name = "topic")] public string? Topic { get; set; }

    /// <summary>1-based.</summary>
    [FromQuery(Name = "page")] public int Page { get; set; } = 1;

    [FromQuery(Name = "page_size")] public int PageSize { get; set; } = ConversationReader.DefaultPageSize;

    public TrendField? Series => By is null ? null : TrendField.Parse(By);

    public uint? TopicId => TopicIds.TryParse(Topic, out var id) ? id : null;

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext)) yield return result;
        if ((By is null) != (Key is null)) yield return new ValidationResult("by and key go together: the series a data point belongs to", ["by", "key"]);
        else if (By is not null && Series is null) yield return new ValidationResult($"by is {TrendField.Choices}", ["by"]);
        if (Signal is not null && !ConversationReader.Signals.Contains(Signal))
            yield return new ValidationResult($"signal is one of {string.Join(", ", ConversationReader.Signals)}", ["signal"]);
        if (Topic is not null && TopicId is null) yield return new ValidationResult("topic is a topic id such as tp_3 (GET /v1/topics)", ["topic"]);
        if (Page < 1) yield return new ValidationResult("page starts at 1", ["page"]);
        if (PageSize is < 1 or > ConversationReader.MaxPageSize) yield return new ValidationResult($"page_size is 1 to {ConversationReader.MaxPageSize}", ["page_size"]);
    }
}
