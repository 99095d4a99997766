namespace Feedback.Analytics.Topics;

/// <summary>What a topic run did: turns assigned to topics, and topics made by refits.</summary>
public sealed record TopicRunResult(int Assigned, int Topics)
{
    public static TopicRunResult operator +(TopicRunResult a, TopicRunResult b) => new(a.Assigned + b.Assigned, a.Topics + b.Topics);
}
