using Feedback.AI;
using Feedback.Events;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Feedback.Tests.Sdk;

/// <summary>AddFeedback(): options from configuration, one client, the factory's HttpClient, disposal by the container.</summary>
public sealed class AddFeedbackTests
{
    [Fact]
    public void Options_come_from_the_Feedback_section_and_code_overrides_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Feedback:Endpoint"] = "http://ingest.example:9000",
            ["Feedback:WriteKey"] = "fbw_from_config",
            ["Feedback:MaxBatchSize"] = "25",
            ["Feedback:FlushInterval"] = "00:00:03",
            ["Feedback:QueueCapacity"] = "500",
            ["Feedback:MaxAttempts"] = "2",
            ["Feedback:RetryBaseDelay"] = "00:00:00.5",
            ["Feedback:ShutdownTimeout"] = "00:00:01",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);

        services.AddFeedback(o => o.MaxAttempts = 7);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<FeedbackClientOptions>>().Value;

        Assert.Equal(new Uri("http://ingest.example:9000"), options.Endpoint);
        Assert.Equal("fbw_from_config", options.WriteKey);
        Assert.Equal(25, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(3), options.FlushInterval);
        Assert.Equal(500, options.QueueCapacity);
        Assert.Equal(7, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ShutdownTimeout);
        Assert.Same(provider.GetRequiredService<FeedbackClient>(), provider.GetRequiredService<FeedbackClient>());
    }

    [Fact]
    public void Without_configuration_the_defaults_and_code_apply()
    {
        using var provider = new ServiceCollection().AddFeedback(o => o.WriteKey = "fbw_code").BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<FeedbackClientOptions>>().Value;
        Assert.Equal(new Uri("http://127.0.0.1:8400"), options.Endpoint);
        Assert.Equal("fbw_code", options.WriteKey);
        Assert.NotNull(provider.GetRequiredService<FeedbackClient>()); // disposed with the provider, synchronously
    }

    [Fact]
    public async Task The_client_sends_through_the_named_HttpClient_of_the_factory()
    {
        await using var ingest = await FakeIngest.StartAsync();
        var seen = new CountingHandler();
        var services = new ServiceCollection().AddFeedback(o => o.Endpoint = ingest.Url);
        services.AddHttpClient(FeedbackServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => seen);
        await using var provider = services.BuildServiceProvider();

        var feedback = provider.GetRequiredService<FeedbackClient>();
        feedback.TrackTurn(new Turn { UserId = "u", SessionId = "s", ConversationId = "c", Prompt = "p", Response = "r", Model = "m" });
        await feedback.FlushAsync();

        Assert.Equal(1, seen.Requests);
        Assert.Single(ingest.Events);
    }

    [Fact]
    public async Task A_host_app_with_two_lines_of_setup_captures_chat_turns_and_flushes_on_shutdown()
    {
        await using var ingest = await FakeIngest.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Feedback:Endpoint"] = ingest.Url.ToString();
        builder.Configuration["Feedback:WriteKey"] = "fbw_host";
        builder.Configuration["Feedback:FlushInterval"] = "00:10:00"; // nothing is sent before shutdown

        builder.AddFeedback();
        builder.Services.AddChatClient(new ScriptedChatClient("Hello!")).UseFeedbackCapture();
        using (var host = builder.Build())
        {
            var chat = host.Services.GetRequiredService<IChatClient>();
            var response = await chat.GetResponseAsync("Hi");
            Assert.NotNull(response.GetFeedbackTurn());
            Assert.Empty(ingest.Events);
            await ((IAsyncDisposable)host).DisposeAsync(); // the container disposes the client: its final flush sends the turn
        }

        var turn = Assert.Single(ingest.Events);
        Assert.Equal(EventKinds.Turn, turn.Kind);
        Assert.Equal("Hello!", turn.Response);
    }

    [Fact]
    public void UseFeedbackCapture_without_a_client_says_what_to_do()
    {
        var services = new ServiceCollection();
        services.AddChatClient(new ScriptedChatClient("x")).UseFeedbackCapture();
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("AddFeedback", e.Message, StringComparison.Ordinal);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int requests;

        public int Requests => requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
