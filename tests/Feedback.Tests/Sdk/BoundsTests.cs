using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Feedback.Tests.Sdk;

/// <summary>Never hurts the host: memory stays bounded and nothing blocks, whatever the network does.</summary>
public sealed class BoundsTests
{
    [Fact]
    public async Task Against_a_server_that_never_answers_only_the_queue_is_held_and_the_rest_is_dropped_and_counted()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0); // accepts connections, never answers
        blackHole.Start();
        var client = new FeedbackClient(new FeedbackClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}"),
            QueueCapacity = 100,
            MaxBatchSize = 1,
            RequestTimeout = TimeSpan.FromMinutes(10),
            ShutdownTimeout = TimeSpan.FromMilliseconds(100),
        });
        var turn = new TurnRef("u", "s", "c", "t");

        client.TrackReaction(turn, Reaction.ThumbsUp); // a full batch: the sender drains it and posts
        using var stuck = await blackHole.AcceptTcpClientAsync(); // ... and now waits for an answer that never comes
        for (var i = 0; i < 10_000; i++) client.TrackReaction(turn, Reaction.ThumbsUp);

        Assert.Equal(10_000 - 100, client.Dropped); // the queue holds its capacity; every later call returned at once
        await client.DisposeAsync(); // bounded by ShutdownTimeout, then the hanging request is cancelled
        Assert.Equal(0, client.Sent);
    }

    [Fact]
    public async Task Drops_of_a_full_queue_are_counted_at_once_and_logged_by_the_sender()
    {
        var log = new LinesLogger();
        await using var client = new FeedbackClient(
            new FeedbackClientOptions { Endpoint = new Uri($"http://127.0.0.1:{ChaosServer.FreePort()}"), QueueCapacity = 2, FlushInterval = TimeSpan.FromHours(1), MaxAttempts = 1 },
            logger: log);
        var turn = new TurnRef("u", "s", "c", "t");

        for (var i = 0; i < 5; i++) client.TrackCopy(turn);
        var droppedAtOnce = client.Dropped;
        await client.FlushAsync();

        Assert.Equal(3, droppedAtOnce);
        Assert.Contains(log.Lines, line => line.Contains("queue of 2 events was full; dropped 3", StringComparison.Ordinal));
    }

    private sealed class LinesLogger : ILogger<FeedbackClient>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
