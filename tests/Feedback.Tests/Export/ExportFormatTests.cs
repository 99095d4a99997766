using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Events;
using Parquet.Serialization;
using static Feedback.Tests.Export.ExportPairs;

namespace Feedback.Tests.Export;

[Collection(SharedStore.Name)]
public sealed class ExportFormatTests(EmbeddedStore store)
{
    [Fact]
    public async Task Dpo_lines_keep_their_shape()
    {
        var (project, _) = await store.NewProjectAsync();
        var pair = Pair(project, T0);
        await InsertAsync(store.Engine, pair);

        var line = JsonNode.Parse(Assert.Single(Lines(await ExportTextAsync(store.Engine, DpoFormat.Name, new ExportFilter { Project = project }))))!;

        Assert.Equal("Capital of Australia?", (string?)line["prompt"]);
        Assert.Equal("Canberra.", (string?)line["chosen"]);
        Assert.Equal("Sydney.", (string?)line["rejected"]);
        Assert.Equal(pair.PairId.ToString(), (string?)line["meta"]!["pair_id"]);
        Assert.Equal("edit", (string?)line["meta"]!["source"]);
        Assert.Equal(2, line["meta"]!["source_event_ids"]!.AsArray().Count);
    }

    [Fact]
    public async Task OpenAi_lines_carry_the_conversation_and_both_assistant_turns()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0, prompt: [new RequestMessage("system", "be brief"), new RequestMessage("user", "hi")]));

        var line = JsonNode.Parse(Assert.Single(Lines(await ExportTextAsync(store.Engine, OpenAiFormat.Name, new ExportFilter { Project = project }))))!;

        var messages = line["input"]!["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => (string)m!["role"]!));
        Assert.Equal("hi", (string?)messages[1]!["content"]);
        Assert.Equal("assistant", (string?)line["preferred_output"]![0]!["role"]);
        Assert.Equal("Canberra.", (string?)line["preferred_output"]![0]!["content"]);
        Assert.Equal("Sydney.", (string?)line["non_preferred_output"]![0]!["content"]);
        Assert.Equal(["input", "preferred_output", "non_preferred_output"], line.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Parquet_reads_back_with_prompt_chosen_rejected_and_meta_columns()
    {
        var (project, _) = await store.NewProjectAsync();
        var first = Pair(project, T0);
        await InsertAsync(store.Engine, first, Pair(project, T0.AddMinutes(1), model: "other"));
        var path = Path.Combine(store.DataDirectory, project + ".parquet");

        await using (var file = File.Create(path))
            Assert.Equal(2, await new PairExport(store.Engine).WriteAsync(ParquetFormat.Name, new ExportFilter { Project = project }, file));

        var rows = (await ParquetSerializer.DeserializeAsync<ParquetPairRow>(path)).Data;
        Assert.Equal(2, rows.Count);
        Assert.Equal(("Capital of Australia?", "Canberra.", "Sydney."), (rows[0].Prompt, rows[0].Chosen, rows[0].Rejected));
        Assert.Equal(first.PairId.ToString(), rows[0].PairId);
        Assert.Equal(0.9f, rows[0].Confidence);
        Assert.Equal(first.SourceEventIds.Select(i => i.ToString()), rows[0].SourceEventIds);
        Assert.Equal(["m", "other"], rows.Select(r => r.Model));
        Assert.Equal(T0.UtcDateTime, rows[0].CreatedAt);
        Assert.All(rows, r => Assert.False(r.Reviewed));

        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        Assert.Equal(
            ["prompt", "chosen", "rejected", "pair_id", "project", "source", "confidence", "turn_id", "source_event_ids", "model", "model_version", "user_id", "created_at", "reviewed"],
            reader.Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task Parquet_to_a_stream_that_cannot_seek_is_complete()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0));
        using var buffer = new MemoryStream();

        await new PairExport(store.Engine).WriteAsync(ParquetFormat.Name, new ExportFilter { Project = project }, new ForwardOnly(buffer));

        buffer.Position = 0;
        Assert.Single((await ParquetSerializer.DeserializeAsync<ParquetPairRow>(buffer)).Data);
    }

    /// <summary>Like an HTTP response body: write only.</summary>
    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
