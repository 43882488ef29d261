using TeamTalk.Orleans.LoadGen.Metrics;

namespace TeamTalk.Orleans.LoadGen.Tests;

public sealed class HistogramTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(127L)]
    [InlineData(128L)]
    [InlineData(129L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(1_000L)]
    [InlineData(123_456L)]
    [InlineData(60_000_000L)]
    [InlineData(1L << 39)]
    public void Every_value_lies_within_its_bucket_and_within_1_6_percent_of_its_bounds(long value)
    {
        var bucket = LatencyHistogram.BucketOf(value);
        var lower = LatencyHistogram.LowerBound(bucket);
        var upper = LatencyHistogram.UpperBound(bucket);
        Assert.InRange(value, lower, upper);
        Assert.True(upper - lower <= Math.Max(0, value / 64.0), $"bucket [{lower}, {upper}] is too wide for {value}");
    }

    [Fact]
    public void Buckets_are_contiguous_and_increasing()
    {
        for (var b = 0; b < LatencyHistogram.BucketCount - 1; b++)
        {
            Assert.Equal(LatencyHistogram.UpperBound(b) + 1, LatencyHistogram.LowerBound(b + 1));
        }
    }

    [Fact]
    public void Values_beyond_the_range_land_in_the_last_bucket_and_negatives_in_the_first()
    {
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(long.MaxValue));
        Assert.Equal(0, LatencyHistogram.BucketOf(-5));
    }

    [Fact]
    public void Percentiles_of_1_to_10000_are_within_the_bucket_precision()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 10_000; v++)
        {
            h.Record(v);
        }

        Assert.Equal(10_000, h.Count);
        Assert.Equal(1, h.Min);
        Assert.Equal(10_000, h.Max);
        Assert.Equal(5_000.5, h.Mean, 3);
        AssertClose(5_000, h.Percentile(50));
        AssertClose(9_000, h.Percentile(90));
        AssertClose(9_900, h.Percentile(99));
        Assert.Equal(10_000, h.Percentile(100));
        Assert.Equal(1, h.Percentile(0));
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var h = new LatencyHistogram();
        foreach (var v in new long[] { 5, 5, 7, 9, 100 })
        {
            h.Record(v);
        }

        Assert.Equal(5, h.Percentile(20));
        Assert.Equal(5, h.Percentile(40));
        Assert.Equal(7, h.Percentile(60));
        Assert.Equal(9, h.Percentile(80));
        Assert.Equal(100, h.Percentile(99));
    }

    [Fact]
    public void An_empty_histogram_reports_zeros()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Percentile(99));
        Assert.Equal(0, h.Max);
        Assert.Equal(0, h.Min);
        Assert.Equal(0, h.Summarize().Count);
    }

    [Fact]
    public void Merging_equals_recording_everything_in_one()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var v = (long)(random.NextDouble() * 1_000_000);
            (i % 3 == 0 ? a : b).Record(v);
            all.Record(v);
        }

        a.Merge(b);
        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.Max, a.Max);
        Assert.Equal(all.Min, a.Min);
        foreach (var p in new[] { 1.0, 50, 90, 99, 99.9 })
        {
            Assert.Equal(all.Percentile(p), a.Percentile(p));
        }
    }

    [Fact]
    public void Data_round_trip_keeps_every_figure()
    {
        var h = new LatencyHistogram();
        foreach (var v in new long[] { 3, 300, 30_000, 3_000_000, 3_000_000 })
        {
            h.Record(v);
        }

        var copy = LatencyHistogram.FromData(h.ToData());
        Assert.Equal(h.Count, copy.Count);
        Assert.Equal(h.Max, copy.Max);
        Assert.Equal(h.Min, copy.Min);
        Assert.Equal(h.Mean, copy.Mean);
        Assert.Equal(h.Percentile(50), copy.Percentile(50));
        Assert.Equal(h.Percentile(99), copy.Percentile(99));
    }

    [Fact]
    public void Since_holds_only_what_was_recorded_after_the_copy()
    {
        var h = new LatencyHistogram();
        for (var i = 0; i < 100; i++)
        {
            h.Record(10_000);
        }

        var before = h.Copy();
        h.Record(50);
        h.Record(60);
        var interval = h.Since(before);
        Assert.Equal(2, interval.Count);
        Assert.Equal(60, interval.Percentile(100));
        Assert.Equal(50, interval.Percentile(50));
    }

    [Fact]
    public void Concurrent_recording_loses_nothing()
    {
        var h = new LatencyHistogram();
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                h.Record(i);
            }
        });
        Assert.Equal(80_000, h.Count);
        Assert.Equal(9_999, h.Max);
        Assert.Equal(0, h.Min);
    }

    private static void AssertClose(long expected, long actual) =>
        Assert.True(Math.Abs(actual - expected) <= expected / 64.0 + 1, $"expected ≈{expected}, got {actual}");
}
