using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Feedback.AI;
using Microsoft.Extensions.AI;

namespace Feedback.Benchmarks;

/// <summary>
/// What the capture middleware adds to one chat turn, next to the same inner client without it (same run).
/// The inner client answers at once, so the difference is the middleware's own cost.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(20_000)]
public class ChatCaptureBenchmarks
{
    private static readonly List<ChatMessage> History =
    [
        new(ChatRole.System, "You are a concise assistant."),
        new(ChatRole.User, "How do I reverse a list in Python?"),
    ];

    private static readonly ChatOptions Options = new ChatOptions().WithFeedback("user-1", "session-1", "conversation-1");

    private readonly IChatClient bare = new InstantChatClient();
    private IChatClient captured = null!;
    private FeedbackClient feedback = null!;

    [IterationSetup]
    public void Setup()
    {
        feedback = new FeedbackClient(new FeedbackClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{ClosedPort.Next()}"),
            WriteKey = "k",
            QueueCapacity = 200_000,
            FlushInterval = TimeSpan.FromHours(1),
            MaxBatchSize = int.MaxValue,
            MaxAttempts = 1,
            ShutdownTimeout = TimeSpan.Zero,
        });
        captured = new ChatClientBuilder(bare).UseFeedbackCapture(feedback).Build();
    }

    [IterationCleanup]
    public void Cleanup() => feedback.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> Bare() => bare.GetResponseAsync(History, Options);

    [Benchmark]
    public Task<ChatResponse> WithCapture() => captured.GetResponseAsync(History, Options);

    [Benchmark]
    public async Task<int> BareStreaming()
    {
        var n = 0;
        await foreach (var _ in bare.GetStreamingResponseAsync(History, Options)) n++;
        return n;
    }

    [Benchmark]
    public async Task<int> WithCaptureStreaming()
    {
        var n = 0;
        await foreach (var _ in captured.GetStreamingResponseAsync(History, Options)) n++;
        return n;
    }


    private sealed class InstantChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Use slicing: xs[::-1].")) { ModelId = "m", Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 6 } });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var word in new[] { "Use", " slicing:", " xs[::-1]." })
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, word) { ModelId = "m" };
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
