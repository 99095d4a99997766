using Feedback.Analytics.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.Hosting;

/// <summary>
/// A read-API query stopped by its time limit (<see cref="TimeLimitedReads"/>, ClickHouse code 159) is the
/// request's size, not a server fault: 503 with Retry-After and a ProblemDetails saying to narrow it.
/// </summary>
public sealed class QueryTimeoutHandler(IProblemDetailsService problems) : IExceptionHandler
{
    private const int TimeoutExceeded = 159;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ClickHouseException { Code: TimeoutExceeded }) return false;
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Query took too long",
                Detail = "The query ran over the read API's time limit; narrow the time range or the filters.",
            },
        });
    }
}
