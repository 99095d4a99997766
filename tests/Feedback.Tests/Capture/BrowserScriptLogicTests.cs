using Feedback.Tests.Dashboard;
using Xunit.Abstractions;

namespace Feedback.Tests.Capture;

/// <summary>
/// The browser capture script's own logic under Node's test runner with a fake browser (feedback-script.test.mjs):
/// the SDK's field names, batching, retries with the same event ids, refusals, the page-hide beacon and its size cut,
/// and that nothing throws into the page.
/// </summary>
public sealed class BrowserScriptLogicTests(ITestOutputHelper output)
{
    [Fact]
    public Task Batches_retries_beacons_and_never_throwing_hold_under_node() =>
        BrowserScript.TestAsync(output, "feedback-script.test.mjs");
}
