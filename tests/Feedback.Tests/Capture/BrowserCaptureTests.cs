using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Projects;
using Feedback.Server.Hosting;
using Feedback.Tests.Dashboard;
using Xunit.Abstractions;

namespace Feedback.Tests.Capture;

/// <summary>
/// The browser capture script in real headless Chromium against the real server on 127.0.0.1: a chat page served from
/// another origin (a second local site, so CORS is real) loads /v1/feedback.js from the server and sends what its user
/// does about turns the backend recorded with the .NET SDK; a page on an origin the key does not allow gets nothing
/// stored. Chromium's own network log shows which requests went how (capture-check.mjs).
/// </summary>
[Collection(SharedStore.Name)]
public sealed class BrowserCaptureTests(EmbeddedStore store, ITestOutputHelper output)
{
    private const string User = "u-browser";
    private const string Session = "s-browser";
    private const string Conversation = "c-browser";

    [Fact]
    public async Task A_page_on_an_allowed_origin_sends_each_signal_once_by_fetch_and_beacon_and_mined_like_sdk_events_while_another_origin_stores_nothing()
    {
        BrowserScript.AssertChromiumInstalled();
        var (project, serverKey) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        var server = host.Services.GetRequiredService<LocalServer>().Url.TrimEnd('/');
        await using var allowedSite = await TestPageServer.StartAsync();
        await using var otherSite = await TestPageServer.StartAsync();
        var pageKey = await new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, [allowedSite.Url]);
        await RecordTurnsAsync(server, serverKey);

        var seen = await BrowserScript.RunAsync(output, "capture-check.mjs",
            otherSite.ChatPage(server, pageKey, User, Session, Conversation),
            allowedSite.ChatPage(server, pageKey, User, Session, Conversation));

        Assert.True(seen["error"] is null, $"the browser run failed: {seen["error"]}\nconsole: {seen["console"]}");
        var requests = seen["batchRequests"]!.AsArray().Select(r => (
            Method: (string)r!["method"]!, Origin: (string)r["origin"]!, ContentType: ((string)r["contentType"]!).Split(';')[0], Status: (int)r["status"]!)).ToList();
        // The other site: its preflight and its beacon were refused, and its page was told (the script never throws).
        Assert.Equal(
            [("OPTIONS", "", 403), ("POST", "text/plain", 403)],
            requests.Where(r => r.Origin == otherSite.Url).Select(r => (r.Method, r.ContentType, r.Status)).Order().ToList());
        Assert.Equal(0, (int)seen["other"]!["afterFlush"]!["sent"]!);
        Assert.NotEmpty(seen["other"]!["afterFlush"]!["errors"]!.AsArray());
        // The allowed site: "Send now" went by fetch after a preflight, the rest by beacon as the page was left.
        Assert.Equal(
            [("OPTIONS", "", 204), ("POST", "application/json", 200), ("POST", "text/plain", 200)],
            requests.Where(r => r.Origin == allowedSite.Url).Select(r => (r.Method, r.ContentType, r.Status)).Order().ToList());
        Assert.Equal(2, (int)seen["allowed"]!["afterFlush"]!["sent"]!);
        Assert.Empty(seen["allowed"]!["afterFlush"]!["errors"]!.AsArray());

        await Eventually.TrueAsync(async () => (await FeedbackEventsAsync(project)).Count == 5, "the page's five events are stored");
        // A retry of the fetched batch (as after a lost answer) is deduplicated on the page's event ids.
        var fetched = (string)seen["allowed"]!["fetchBodies"]!.AsArray().Single()!;
        var resent = await ResendAsBeaconAsync(server, pageKey, allowedSite.Url, fetched);
        Assert.Equal(2, (int)resent["accepted"]!);

        var events = await FeedbackEventsAsync(project);
        Assert.Equal(["choice", "copy", "edit", "reaction", "regenerate"], events.Select(e => e.Kind).Order());
        Assert.All(events, e => Assert.Equal((User, Session, Conversation), (e.UserId, e.SessionId, e.ConversationId)));
        var byKind = events.ToDictionary(e => e.Kind!);
        Assert.Equal(("t1", "down", "wrong city"), (byKind["reaction"].TurnId, byKind["reaction"].Thumb, byKind["reaction"].Comment));
        Assert.Equal(("t1", "Canberra is the capital of Australia."), (byKind["edit"].TurnId, byKind["edit"].EditedResponse));
        Assert.Equal(("t1", "t2"), (byKind["regenerate"].TurnId, byKind["regenerate"].NewTurnId));
        Assert.Equal(("t2", "Canberra is the capital of Australia."), (byKind["copy"].TurnId, byKind["copy"].CopiedText));
        Assert.Equal(("t4", "t4", (int?)1), (byKind["choice"].TurnId, byKind["choice"].ChosenTurnId, byKind["choice"].DisplayPosition));
        Assert.Equal(["t3", "t4"], byKind["choice"].AlternativeTurnIds!);
        Assert.Equal(9, await new Analytics.Events.EventStore(store.Engine).CountAsync(project)); // 4 turns + 5: nothing from the other site

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();

        var signals = (await store.Engine.QueryAsync<TurnSignals>(
            "SELECT * FROM turn_signals FINAL WHERE project = {project:String}", new { project })).ToDictionary(s => s.TurnId);
        Assert.Equal((1L, 1, 1, -1), (signals["t1"].ThumbsDown, (int)signals["t1"].Edited, (int)signals["t1"].Regenerated, (int)signals["t1"].ReactionPolarity));
        Assert.Equal(1, signals["t2"].Copied);
        Assert.Equal((0L, 1L), (signals["t3"].Chosen, signals["t3"].NotChosen));
        Assert.Equal((1L, 0L), (signals["t4"].Chosen, signals["t4"].NotChosen));
        var pairs = (await store.Engine.QueryAsync<PairRow>(
            "SELECT source, turn_id, chosen, rejected FROM pairs FINAL WHERE project = {project:String}", new { project })).ToDictionary(p => p.Source);
        Assert.Equal(
            [PairSources.Choice, PairSources.Edit, PairSources.Regenerate], pairs.Keys.Order());
        Assert.Equal(("Canberra is the capital of Australia.", "Sydney is the capital of Australia."), (pairs[PairSources.Edit].Chosen, pairs[PairSources.Edit].Rejected));
        Assert.Equal(("Canberra is the capital of Australia.", "Sydney is the capital of Australia."), (pairs[PairSources.Regenerate].Chosen, pairs[PairSources.Regenerate].Rejected));
        Assert.Equal(("Canberra, in the ACT.", "Canberra."), (pairs[PairSources.Choice].Chosen, pairs[PairSources.Choice].Rejected));

        await AssertCannotReadAsync(server, pageKey, allowedSite.Url);
    }

    /// <summary>What the chat's backend does: records the turns with the .NET SDK (its own key) and hands the page their ids.</summary>
    private static async Task RecordTurnsAsync(string server, string key)
    {
        await using var feedback = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(server), WriteKey = key });
        var capital = "What is the capital of Australia?";
        feedback.TrackTurn(NewTurn("t1", capital, "Sydney is the capital of Australia."));
        feedback.TrackTurn(NewTurn("t2", capital, "Canberra is the capital of Australia."));
        feedback.TrackTurn(NewTurn("t3", "Where is Canberra? Short, please.", "Canberra."));
        feedback.TrackTurn(NewTurn("t4", "Where is Canberra? Short, please.", "Canberra, in the ACT."));
        await feedback.FlushAsync();
        Assert.Equal(4, feedback.Sent);
    }

    private static Turn NewTurn(string id, string prompt, string response) => new()
    {
        TurnId = id,
        UserId = User,
        SessionId = Session,
        ConversationId = Conversation,
        Prompt = prompt,
        Response = response,
        Model = "m",
        ModelVersion = "v1",
    };

    private async Task<IReadOnlyList<Events.FeedbackEvent>> FeedbackEventsAsync(string project) =>
        await store.Engine.QueryAsync<Events.FeedbackEvent>(
            "SELECT * FROM events FINAL WHERE project = {project:String} AND kind != 'turn'", new { project });

    private static async Task<JsonNode> ResendAsBeaconAsync(string server, string key, string origin, string body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server}/v1/batch?key={Uri.EscapeDataString(key)}")
        {
            Content = new StringContent(body, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The page's key only writes: as a bearer token it is refused by every read endpoint, and in the query no read endpoint reads it.</summary>
    private static async Task AssertCannotReadAsync(string server, string key, string origin)
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "v1/trends", "v1/compare?a=v1&b=v2", "v1/export", "v1/conversations", "v1/conversations/c-browser", "v1/topics" })
        {
            using var bearer = new HttpRequestMessage(HttpMethod.Get, $"{server}/{path}");
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            bearer.Headers.Add("Origin", origin);
            using var withHeader = await http.SendAsync(bearer);
            Assert.True(withHeader.StatusCode == HttpStatusCode.Forbidden, $"{path} with the page's key as bearer: {withHeader.StatusCode}");
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var inQuery = await http.GetAsync($"{server}/{path}{separator}key={Uri.EscapeDataString(key)}");
            Assert.True(inQuery.StatusCode == HttpStatusCode.Unauthorized, $"{path} with the page's key in the query: {inQuery.StatusCode}");
        }
    }

    private sealed record PairRow(string Source, string TurnId, string Chosen, string Rejected);
}
