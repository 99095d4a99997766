using Feedback.Analytics.Topics;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

/// <summary>Topics of negative feedback, brought up to date first (<c>feedback topics</c>).</summary>
public interface ITopics
{
    /// <summary>Reads the project's topics (valid <paramref name="parameters"/>), refitting them first when asked.</summary>
    Task<TopicsView> ReadAsync(string project, TopicsParameters parameters, bool refit, CancellationToken cancellationToken);
}
