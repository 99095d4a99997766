using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Analytics.Export;

/// <summary>The registered <see cref="IExportFormat"/>s by name, and which filters each can take.</summary>
public sealed class ExportFormats(IEnumerable<IExportFormat> formats)
{
    /// <summary>
    /// The formats <see cref="AnalyticsServiceCollectionExtensions.AddExportFormats"/> registers, for callers without
    /// the host's services (the CLI's options, <c>new PairExport(store)</c>).
    /// </summary>
    public static ExportFormats Shipped { get; } =
        new ServiceCollection().AddExportFormats().BuildServiceProvider().GetRequiredService<ExportFormats>();

    private readonly IReadOnlyList<IExportFormat> all = formats.ToList();

    /// <summary>The formats' names, in the order registered.</summary>
    public IReadOnlyList<string> Names => all.Select(f => f.Name).ToList();

    /// <summary>The format called <paramref name="name"/>; an <see cref="ArgumentException"/> naming the others if none is.</summary>
    public IExportFormat this[string name] =>
        Find(name) ?? throw new ArgumentException($"unknown format '{name}' (one of {string.Join(", ", Names)})", nameof(name));

    /// <summary>The format called <paramref name="name"/>, or null.</summary>
    public IExportFormat? Find(string name) => all.FirstOrDefault(f => f.Name == name);

    /// <summary>Why this format cannot take this filter (null: it can); a request gets it as a 400.</summary>
    public string? Refusal(string name, ExportFilter filter) => Find(name) switch
    {
        null => $"format is one of {string.Join(", ", Names)}",
        { WritesLabels: true } when filter.LengthBalanced => "length balancing is for pairs; kto rows have one completion",
        { WritesLabels: false } when filter.MinPredictedPositive is not null => "min_predicted_positive applies to kto (labels) only",
        _ => null,
    };
}
