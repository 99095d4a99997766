namespace Feedback.Tests.Sdk;

public sealed class NeverThrowsTests
{
    [Fact]
    public async Task Misuse_is_logged_and_counted_never_thrown_into_the_app()
    {
        var client = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri($"http://127.0.0.1:{ChaosServer.FreePort()}"), MaxAttempts = 1 });
        var turn = new TurnRef("u", "s", "c", "t");

        var reference = client.TrackTurn(null!);
        client.TrackChoice(turn, null!);
        client.TrackReaction(turn, null!);

        Assert.Equal("", reference.UserId);
        Assert.Equal(3, client.Dropped);
        await client.DisposeAsync();
        await client.DisposeAsync(); // twice is harmless
    }
}
