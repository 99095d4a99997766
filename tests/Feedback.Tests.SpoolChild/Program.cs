using Feedback;

// Usage: Feedback.Tests.SpoolChild <spool directory> <unreachable endpoint> <count>
// Tracks <count> turns while the server is unreachable, says "spooled" once they are on disk, and then
// keeps retrying until the test kills it with SIGKILL: no dispose, no final flush, as in a real crash.
var client = new FeedbackClient(new FeedbackClientOptions
{
    Endpoint = new Uri(args[1]),
    WriteKey = "k",
    SpoolDirectory = args[0],
    MaxBatchSize = 7,
    FlushInterval = TimeSpan.FromMilliseconds(50),
    MaxAttempts = 1,
});
var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
for (var i = 0; i < count; i++)
{
    client.TrackTurn(new Turn { UserId = "u", SessionId = "s", ConversationId = "c", Prompt = $"q{i}", Response = $"a{i}", Model = "m" });
}
await client.FlushAsync();
Console.WriteLine("spooled");
await Task.Delay(Timeout.Infinite);
