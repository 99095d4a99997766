using Feedback.Analytics.Events;
using Feedback.Analytics.Store;

namespace Feedback.Tests.Store;

public sealed class PartitionBlocksTests
{
    [Fact]
    public void Events_of_at_most_a_hundred_months_stay_one_block()
    {
        var rows = Enumerable.Range(0, 100).Select(m => new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(m)).ToList();

        Assert.Single(PartitionBlocks.Split(rows, t => t));
    }

    [Fact]
    public void Events_of_more_months_are_cut_into_blocks_of_at_most_a_hundred_months_losing_none()
    {
        var start = new DateTimeOffset(2000, 1, 31, 23, 59, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, 250).SelectMany(m => new[] { start.AddMonths(m), start.AddMonths(m).AddSeconds(30) }).ToList();

        var blocks = PartitionBlocks.Split(rows, t => t);

        Assert.Equal(3, blocks.Count);
        Assert.All(blocks, b => Assert.InRange(b.Select(t => (t.UtcDateTime.Year, t.UtcDateTime.Month)).Distinct().Count(), 1, PartitionBlocks.MaxPartitionsPerInsert));
        Assert.Equal(rows.Order(), blocks.SelectMany(b => b).Order());
    }

    [Fact]
    public void Only_the_one_block_partition_limit_of_code_252_is_a_data_error()
    {
        var perBlock = new ClickHouseException("Code: 252. DB::Exception: Too many partitions for single INSERT block (more than 100). (TOO_MANY_PARTS)");
        var mergesBehind = new ClickHouseException("Code: 252. DB::Exception: Too many parts (300) in table. Merges are processing significantly slower than inserts. (TOO_MANY_PARTS)");

        Assert.True(perBlock.IsDataError);
        Assert.False(mergesBehind.IsDataError);
    }
}
