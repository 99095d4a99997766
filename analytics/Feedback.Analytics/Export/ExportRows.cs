using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export;

/// <summary>
/// The rows one export selects, filtered and with the noise and bias controls applied, read when a format asks:
/// the pairs, or the unpaired labels (KTO rows). Each call reads them anew.
/// </summary>
public sealed class ExportRows(Func<IAsyncEnumerable<PreferencePair>> pairs, Func<IAsyncEnumerable<KtoRow>> labels)
{
    public IAsyncEnumerable<PreferencePair> Pairs() => pairs();

    public IAsyncEnumerable<KtoRow> Labels() => labels();
}
