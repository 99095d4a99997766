using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Feedback.AI;

/// <summary>Adds the capture middleware to a chat pipeline.</summary>
public static class FeedbackChatClientBuilderExtensions
{
    /// <summary>
    /// Records every turn through this pipeline (docs/sdk.md). Uses <paramref name="feedback"/>, or the
    /// <see cref="FeedbackClient"/> registered with <c>AddFeedback()</c>. Add it before <c>UseFunctionInvocation()</c>
    /// so that one user request is one turn, tool calls included.
    /// </summary>
    public static ChatClientBuilder UseFeedbackCapture(this ChatClientBuilder builder, FeedbackClient? feedback = null, Action<FeedbackCaptureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = feedback ?? services.GetService<FeedbackClient>()
                ?? throw new InvalidOperationException("UseFeedbackCapture needs a FeedbackClient: call services.AddFeedback() or pass one.");
            var options = new FeedbackCaptureOptions();
            configure?.Invoke(options);
            return new FeedbackChatClient(inner, client, options, services.GetService<ILogger<FeedbackChatClient>>(), services.GetService<TimeProvider>());
        });
    }
}
