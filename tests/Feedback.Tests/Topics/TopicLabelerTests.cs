using System.Text.RegularExpressions;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;
using Feedback.Tests.Sdk;

namespace Feedback.Tests.Topics;

/// <summary>Topic labels from the operator's chat model, with fake models that answer well, answer garbage or hang.</summary>
[Collection(SharedStore.Name)]
public sealed partial class TopicLabelerTests(EmbeddedStore store)
{
    private static readonly TopicDraft[] Drafts =
    [
        new("wrong dates, times or time zones · year", ["year", "calendar"], ["wrong year, check the calendar", "the day and month are wrong"]),
        new("code that does not compile or run · error", ["error", "crashes"], ["this code does not compile"]),
    ];

    [Fact]
    public async Task A_model_that_answers_well_names_the_topics_of_a_fit()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantedComplaints.PlantAsync(store, project, 200, seed: 41);
        var model = new ScriptedChatClient { Answer = prompt => $$"""{"labels": [{{string.Join(", ", TopicNumber().Matches(prompt).Select(m => $"\"named by the model {m.Groups[1].Value}\""))}}]}""" };
        using var job = new TopicJob(store.Engine, MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System, new ChatClientTopicLabeler(model));

        var fitted = await job.RefitAsync(project);

        var labels = await store.Engine.QueryAsync<LabelRow>("SELECT topic_id, label FROM topics FINAL WHERE project = {project:String}", new { project });
        Assert.Equal(fitted.Topics, labels.Count(l => l.Label.StartsWith("named by the model ", StringComparison.Ordinal)));
        Assert.Single(labels, l => l.TopicId == TopicJob.OtherTopic); // "other" keeps its own label
        var asked = Assert.Single(model.Calls);
        Assert.Contains("JSON", asked.Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Words: ", asked.Messages[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sure! Topic 1 is about dates and topic 2 about code.")]
    [InlineData("""{"labels": ["only one"]}""")]
    [InlineData("""{"names": ["dates", "code"]}""")]
    [InlineData("""{"labels": ["dates", """)]
    public async Task An_answer_that_is_not_the_json_asked_for_keeps_the_built_in_labels(string answer)
    {
        var labeler = new ChatClientTopicLabeler(new ScriptedChatClient(answer));

        Assert.Null(await labeler.LabelAsync(Drafts, CancellationToken.None));
    }

    [Fact]
    public async Task A_fenced_answer_is_read_an_empty_label_keeps_its_topics_and_a_long_one_is_cut()
    {
        var labeler = new ChatClientTopicLabeler(new ScriptedChatClient($"```json\n{{\"labels\": [\"\", \"{new string('x', 100)}\"]}}\n```"));

        var labels = await labeler.LabelAsync(Drafts, CancellationToken.None);

        Assert.NotNull(labels);
        Assert.Null(labels[0]);
        Assert.Equal(ChatClientTopicLabeler.MaxLength, labels[1]!.Length);
    }

    [Fact]
    public async Task A_model_that_hangs_or_fails_keeps_the_built_in_labels()
    {
        var hanging = new ChatClientTopicLabeler(new ScriptedChatClient("""{"labels": ["a", "b"]}""") { Delay = TimeSpan.FromMinutes(5) }, TimeSpan.FromMilliseconds(200));
        var failing = new ChatClientTopicLabeler(new ScriptedChatClient("x") { Throw = new HttpRequestException("503 from the model's API") });

        Assert.Null(await hanging.LabelAsync(Drafts, CancellationToken.None));
        Assert.Null(await failing.LabelAsync(Drafts, CancellationToken.None));
    }

    [GeneratedRegex(@"^Topic (\d+)\.", RegexOptions.Multiline)]
    private static partial Regex TopicNumber();

    private sealed record LabelRow(uint TopicId, string Label);
}
