using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Tests;

/// <summary>Events and requests written by hand, as a client in any language would send them.</summary>
public static class RawEvents
{
    public static JsonObject Turn(string turnId, string prompt = "What is 2+2?", string response = "5") => new()
    {
        ["event_id"] = Guid.CreateVersion7().ToString(),
        ["kind"] = "turn",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["user_id"] = "u1",
        ["session_id"] = "s1",
        ["conversation_id"] = "c1",
        ["turn_id"] = turnId,
        ["request"] = prompt,
        ["response"] = response,
        ["model"] = "m",
        ["model_version"] = "v1",
    };

    public static JsonObject Edit(string turnId, string edited) => new()
    {
        ["event_id"] = Guid.CreateVersion7().ToString(),
        ["kind"] = "edit",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["user_id"] = "u1",
        ["session_id"] = "s1",
        ["conversation_id"] = "c1",
        ["turn_id"] = turnId,
        ["edited_response"] = edited,
    };

    public static string Batch(params JsonNode[] events) => new JsonObject { ["events"] = new JsonArray(events) }.ToJsonString();

    /// <summary>A client of the API at <paramref name="baseUrl"/> with the key as bearer token, or no key.</summary>
    public static HttpClient Client(string baseUrl, string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>A client of a started host's API.</summary>
    public static HttpClient Client(WebApplication host, string? key) => Client(host.Services.GetRequiredService<LocalServer>().Url, key);

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
