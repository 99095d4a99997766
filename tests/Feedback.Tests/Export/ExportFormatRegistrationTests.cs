using System.Text;
using Feedback.Analytics;
using Feedback.Analytics.Export;
using Microsoft.Extensions.DependencyInjection;
using static Feedback.Tests.Export.ExportPairs;

namespace Feedback.Tests.Export;

/// <summary>An export format is a type: one class implementing <see cref="IExportFormat"/> and one registration.</summary>
[Collection(SharedStore.Name)]
public sealed class ExportFormatRegistrationTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_registered_format_is_written_by_name_and_unknown_names_are_refused()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0), Pair(project, T0.AddSeconds(1), chosen: "It is Canberra."));
        var export = new ServiceCollection()
            .AddFeedbackAnalytics(store.Engine)
            .AddSingleton<IExportFormat, ChosenTextFormat>()
            .BuildServiceProvider()
            .GetRequiredService<PairExport>();
        var filter = new ExportFilter { Project = project };
        using var output = new MemoryStream();

        Assert.Equal(2, await export.WriteAsync(ChosenTextFormat.Name, filter, output));

        Assert.Equal("Canberra.\nIt is Canberra.\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(["dpo", "kto", "openai", "parquet", ChosenTextFormat.Name], export.Formats.Names);
        Assert.Equal("txt", export.Formats[ChosenTextFormat.Name].Extension);
        Assert.Null(export.Refusal(ChosenTextFormat.Name, filter));
        Assert.Equal("format is one of dpo, kto, openai, parquet, chosen", export.Refusal("csv", filter));
        await Assert.ThrowsAsync<ArgumentException>(() => export.WriteAsync("csv", filter, Stream.Null));
        // Without the registration, as `new PairExport(store)` is, the shipped formats only.
        Assert.Equal("format is one of dpo, kto, openai, parquet", new PairExport(store.Engine).Refusal(ChosenTextFormat.Name, filter));
    }

    /// <summary>Each pair's chosen answer on a line.</summary>
    private sealed class ChosenTextFormat : IExportFormat
    {
        public const string Name = "chosen";

        string IExportFormat.Name => Name;

        public string Extension => "txt";

        public string ContentType => "text/plain";

        public bool WritesLabels => false;

        public async Task<int> WriteAsync(ExportRows rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
        {
            var count = 0;
            await foreach (var pair in rows.Pairs().WithCancellation(cancellationToken))
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(pair.Chosen + "\n"), cancellationToken);
                count++;
            }
            return count;
        }
    }
}
