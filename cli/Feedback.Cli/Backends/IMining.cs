using Feedback.Analytics.Mining;

namespace Feedback.Cli.Backends;

/// <summary>Runs mining now (<c>feedback mine</c>).</summary>
public interface IMining
{
    Task<MiningResult> RunAsync(CancellationToken cancellationToken);
}
