using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Projects;

namespace Feedback.Tests.Reading;

/// <summary>GET /v1/conversations and /v1/conversations/{id} over real HTTP against the real store.</summary>
[Collection(SharedStore.Name)]
public sealed class ConversationsHttpTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddDays(-3).Date;


    private async Task<(string Project, string ReadKey, string WriteKey)> ProjectAsync()
    {
        var (project, writeKey) = await store.NewProjectAsync();
        return (project, await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read), writeKey);
    }

    private static string Time(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<JsonObject> GetJsonAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string[] Ids(JsonObject page) =>
        page["conversations"]!.AsArray().Select(c => (string)c!["conversation_id"]!).ToArray();

    [Fact]
    public async Task The_list_is_newest_first_with_counts_and_filters_by_signal_series_and_metadata()
    {
        var (project, readKey, _) = await ProjectAsync();
        var seed = new ReadSeed(project);
        var a1 = seed.Turn("ca", "ca-1", T0.AddHours(1), modelVersion: "v1", metadata: new Dictionary<string, string> { ["team"] = "red" });
        var a2 = seed.Turn("ca", "ca-2", T0.AddHours(1).AddMinutes(1), modelVersion: "v1", metadata: new Dictionary<string, string> { ["team"] = "red" });
        seed.ThumbDown(a1);
        seed.ThumbUp(a2);
        var b1 = seed.Turn("cb", "cb-1", T0.AddHours(2), modelVersion: "v2");
        seed.ThumbUp(b1);
        seed.Turn("cc", "cc-1", T0.AddHours(3), modelVersion: "v2", model: "other");
        await seed.SaveAsync(store.Engine);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);
        var range = $"from={Time(T0)}&to={Time(T0.AddDays(1))}";

        var all = await GetJsonAsync(http, $"v1/conversations?{range}");
        Assert.Equal(["cc", "cb", "ca"], Ids(all));
        Assert.False((bool)all["has_more"]!);
        var ca = all["conversations"]![2]!;
        Assert.Equal(2, (int)ca["turns"]!);
        Assert.Equal(1, (int)ca["positive"]!);
        Assert.Equal(1, (int)ca["negative"]!);
        Assert.Equal("u1", (string)ca["user_id"]!);
        Assert.Equal(T0.AddHours(1), DateTimeOffset.Parse((string)ca["started_at"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["m", "other"], all["conversations"]!.AsArray().SelectMany(c => c!["models"]!.AsArray().Select(m => (string)m!)).Distinct().Order());

        Assert.Equal(["ca"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&signal=negative")));
        Assert.Equal(["cb", "ca"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&signal=positive")));
        Assert.Equal(["cb", "ca"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&signal=any")));
        Assert.Equal(["cc", "cb"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&by=model_version&key=v2")));
        Assert.Equal(["cb"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&by=model_version&key=v2&model=m")));
        Assert.Equal(["ca"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&metadata.team=red")));
        Assert.Equal(["ca"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&by=metadata.team&key=red")));
        Assert.Empty(Ids(await GetJsonAsync(http, $"v1/conversations?{range}&metadata.team=blue")));
        // A data point is a time bucket: the hour of cb only.
        Assert.Equal(["cb"], Ids(await GetJsonAsync(http, $"v1/conversations?from={Time(T0.AddHours(2))}&to={Time(T0.AddHours(3))}")));
    }

    [Fact]
    public async Task A_topic_lists_the_conversations_of_its_turns_by_the_current_fit()
    {
        var (project, readKey, _) = await ProjectAsync();
        var seed = new ReadSeed(project);
        foreach (var c in new[] { "c1", "c2", "c3" }) seed.ThumbDown(seed.Turn(c, c + "-t", T0.AddHours(1)));
        await seed.SaveAsync(store.Engine);
        // As the topic job leaves them: fit 2 is current; c3's turn was in topic 7 only by the older fit 1.
        await store.Engine.InsertAsync("topic_models", new[] { TopicModel(project, 1), TopicModel(project, 2) });
        await store.Engine.InsertAsync("topic_assignments", new[]
        {
            Assignment(project, "c1-t", "c1", topic: 7, fit: 2), Assignment(project, "c2-t", "c2", topic: 8, fit: 2),
            Assignment(project, "c3-t", "c3", topic: 7, fit: 1), Assignment(project, "c3-t", "c3", topic: 8, fit: 2),
        });
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);
        var range = $"from={Time(T0)}&to={Time(T0.AddDays(1))}";

        Assert.Equal(["c1"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&topic=tp_7")));
        Assert.Equal(["c2", "c3"], Ids(await GetJsonAsync(http, $"v1/conversations?{range}&topic=tp_8&signal=negative"))); // same time: by id
        Assert.Empty(Ids(await GetJsonAsync(http, $"v1/conversations?{range}&topic=tp_9")));
        using var bad = await http.GetAsync($"v1/conversations?{range}&topic=seven");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static object TopicModel(string project, uint fit) =>
        new { project, fit, model = "", cluster_topics = Array.Empty<uint>(), turns = 3UL, fitted_at = T0 };

    private static object Assignment(string project, string turnId, string conversationId, uint topic, uint fit) => new
    {
        project,
        turn_id = turnId,
        conversation_id = conversationId,
        turn_timestamp = T0.AddHours(1),
        topic_id = topic,
        fit,
        distance = 0.1f,
        assigned_at = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task Pages_cover_every_conversation_once()
    {
        var (project, readKey, _) = await ProjectAsync();
        var seed = new ReadSeed(project);
        for (var i = 0; i < 25; i++) seed.Turn($"c{i:00}", $"t{i:00}", T0.AddMinutes(i));
        await seed.SaveAsync(store.Engine);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);
        var range = $"from={Time(T0)}&to={Time(T0.AddDays(1))}";

        var pages = new List<JsonObject>();
        for (var page = 1; page <= 3; page++)
            pages.Add(await GetJsonAsync(http, $"v1/conversations?{range}&page={page}&page_size=10"));

        Assert.Equal([10, 10, 5], pages.Select(p => Ids(p).Length));
        Assert.Equal([true, true, false], pages.Select(p => (bool)p["has_more"]!));
        Assert.Equal(10, (int)pages[0]["page_size"]!);
        Assert.Equal(2, (int)pages[1]["page"]!);
        var ids = pages.SelectMany(Ids).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"c{i:00}"), ids);
        Assert.Empty(Ids(await GetJsonAsync(http, $"v1/conversations?{range}&page=4&page_size=10")));
    }

    [Fact]
    public async Task A_conversation_shows_its_turns_in_order_with_signals_and_feedback()
    {
        var (project, readKey, _) = await ProjectAsync();
        var seed = new ReadSeed(project);
        var second = seed.Turn("c1", "t2", T0.AddMinutes(2), prompt: "Are you sure?", response: "Yes, Sydney.", modelVersion: "v2");
        var first = seed.Turn("c1", "t1", T0.AddMinutes(1));
        seed.ThumbDown(first, comment: "wrong city");
        seed.Edit(second, "Canberra is the capital of Australia.");
        seed.Turn("other", "t9", T0.AddMinutes(3));
        await seed.SaveAsync(store.Engine);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var conversation = await GetJsonAsync(http, "v1/conversations/c1");

        Assert.Equal("c1", (string)conversation["conversation_id"]!);
        var turns = conversation["turns"]!.AsArray();
        Assert.Equal(["t1", "t2"], turns.Select(t => (string)t!["turn_id"]!));
        Assert.Equal("What is the capital of Australia?", (string)turns[0]!["request"]![0]!["content"]!);
        Assert.Equal("user", (string)turns[0]!["request"]![0]!["role"]!);
        Assert.Equal("Sydney.", (string)turns[0]!["response"]!);
        Assert.Equal("v2", (string)turns[1]!["model_version"]!);
        var s1 = turns[0]!["signals"]!;
        Assert.Equal(-1, (int)s1["reaction_polarity"]!);
        Assert.True((bool)s1["negative"]!);
        Assert.False((bool)s1["edited"]!);
        Assert.Equal(JsonValueKind.Null, s1["rating_normalized"]?.GetValueKind() ?? JsonValueKind.Null);
        Assert.Equal("👎: wrong city", (string)turns[0]!["feedback"]![0]!["text"]!);
        Assert.Equal("reaction", (string)turns[0]!["feedback"]![0]!["kind"]!);
        var s2 = turns[1]!["signals"]!;
        Assert.True((bool)s2["edited"]!);
        Assert.InRange((double)s2["edit_distance_ratio"]!, 0.1, 1);
        Assert.Equal("Canberra is the capital of Australia.", (string)turns[1]!["feedback"]![0]!["text"]!);
    }

    [Fact]
    public async Task A_read_key_sees_nothing_of_another_project()
    {
        var (projectA, readKeyA, _) = await ProjectAsync();
        var (projectB, readKeyB, _) = await ProjectAsync();
        var seedA = new ReadSeed(projectA);
        seedA.ThumbDown(seedA.Turn("secret-a", "ta", T0.AddHours(1)));
        await seedA.SaveAsync(store.Engine);
        var seedB = new ReadSeed(projectB);
        seedB.Turn("mine-b", "tb", T0.AddHours(1));
        await seedB.SaveAsync(store.Engine);
        await using var host = await store.StartHostAsync();
        using var httpB = RawEvents.Client(host, readKeyB);
        using var httpA = RawEvents.Client(host, readKeyA);
        var range = $"from={Time(T0)}&to={Time(T0.AddDays(1))}";

        Assert.Equal(["mine-b"], Ids(await GetJsonAsync(httpB, $"v1/conversations?{range}")));
        Assert.Empty(Ids(await GetJsonAsync(httpB, $"v1/conversations?{range}&signal=negative")));
        using var foreign = await httpB.GetAsync("v1/conversations/secret-a");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["secret-a"], Ids(await GetJsonAsync(httpA, $"v1/conversations?{range}")));
        Assert.Equal("secret-a", (string)(await GetJsonAsync(httpA, "v1/conversations/secret-a"))["conversation_id"]!);
    }

    [Fact]
    public async Task A_write_key_cannot_read_and_no_key_is_401()
    {
        var (project, _, writeKey) = await ProjectAsync();
        var seed = new ReadSeed(project);
        seed.Turn("c1", "t1", T0);
        await seed.SaveAsync(store.Engine);
        await using var host = await store.StartHostAsync();
        using var withWriteKey = RawEvents.Client(host, writeKey);
        using var withoutKey = RawEvents.Client(host, null);

        foreach (var url in new[] { "v1/conversations", "v1/conversations/c1" })
        {
            using var forbidden = await withWriteKey.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.DoesNotContain("c1\"", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var unauthorized = await withoutKey.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page_size=0", "page_size")]
    [InlineData("signal=angry", "signal")]
    [InlineData("by=model", "by and key")]
    [InlineData("key=v1", "by and key")]
    [InlineData("by=colour&key=red", "by is model, model_version")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from must be before to")]
    [InlineData("from=yesterday", "from")]
    public async Task Bad_parameters_are_400_problem_details_with_the_reason(string query, string reason)
    {
        var (_, readKey, _) = await ProjectAsync();
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        using var response = await http.GetAsync($"v1/conversations?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_documents_both_endpoints()
    {
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, null);

        var paths = (await http.GetFromJsonAsync<JsonObject>("openapi/v1.json"))!["paths"]!.AsObject();

        Assert.True(paths.ContainsKey("/v1/conversations"));
        Assert.True(paths.ContainsKey("/v1/conversations/{conversationId}"));
        var parameters = paths["/v1/conversations"]!["get"]!["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ToList();
        Assert.Contains("page_size", parameters);
        Assert.Contains("signal", parameters);
    }
}
