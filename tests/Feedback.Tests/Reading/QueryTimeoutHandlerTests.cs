using System.Text.Json;
using Feedback.Analytics.Store;
using Feedback.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Tests.Reading;

/// <summary>A read-API query stopped by its time limit is a 503 saying to narrow the query, not a 500.</summary>
public sealed class QueryTimeoutHandlerTests
{
    [Fact]
    public async Task A_timed_out_query_is_a_503_problem_with_Retry_After_and_other_errors_are_left_alone()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new QueryTimeoutHandler(services.GetRequiredService<IProblemDetailsService>());
        var timedOut = new DefaultHttpContext { RequestServices = services };
        timedOut.Response.Body = new MemoryStream();
        var other = new DefaultHttpContext { RequestServices = services };

        var handled = await handler.TryHandleAsync(timedOut, new ClickHouseException("Code: 159. DB::Exception: Timeout exceeded: elapsed 5.1 seconds. (TIMEOUT_EXCEEDED)"), CancellationToken.None);
        var otherHandled = await handler.TryHandleAsync(other, new ClickHouseException("Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)"), CancellationToken.None);

        Assert.True(handled);
        Assert.False(otherHandled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, timedOut.Response.StatusCode);
        Assert.Equal("5", timedOut.Response.Headers.RetryAfter.ToString());
        timedOut.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(timedOut.Response.Body);
        Assert.Equal("Query took too long", problem.RootElement.GetProperty("title").GetString());
    }
}
