using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Backends;

/// <summary>Reads a <c>/v1</c> answer: its JSON, or the ProblemDetails' reason as an exception.</summary>
public static class RemoteCall
{
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(json, cancellationToken))!;
    }

    /// <summary>422 (the server could not do it, as the in-process call would throw) is an <see cref="InvalidOperationException"/>.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);
            throw new InvalidOperationException(problem?.Detail ?? "The server could not do this.");
        }
        response.EnsureSuccessStatusCode();
    }
}
