using System.Numerics;

namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>
/// Log-linear histogram of non-negative values (microseconds), HdrHistogram-style: exact below 128, then 64 buckets per
/// power of two (relative error below 1/64 ≈ 1.6%) up to 2^40 µs. Recording is lock-free (one interlocked increment),
/// so any thread may record; merging and percentiles are for snapshots.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Values below this are counted exactly.</summary>
    public const int LinearLimit = 128;

    private const int SubBuckets = 64;
    private const int MaxMagnitude = 34; // values up to 2^(34 + 6) µs
    public const int BucketCount = LinearLimit + (MaxMagnitude * SubBuckets);

    private readonly long[] counts = new long[BucketCount];
    private long total;
    private long sum;
    private long max;
    private long min = long.MaxValue;

    public long Count => Volatile.Read(ref total);

    public long Max => Count == 0 ? 0 : Volatile.Read(ref max);

    public long Min => Count == 0 ? 0 : Volatile.Read(ref min);

    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref sum) / Count;

    /// <summary>Bucket of a value (negative values count as 0, huge ones land in the last bucket).</summary>
    public static int BucketOf(long value)
    {
        if (value < LinearLimit)
        {
            return value < 0 ? 0 : (int)value;
        }

        var log2 = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var magnitude = log2 - 6; // value >> magnitude is in [64, 127]
        if (magnitude > MaxMagnitude)
        {
            return BucketCount - 1;
        }

        return LinearLimit + ((magnitude - 1) * SubBuckets) + (int)((value >> magnitude) - SubBuckets);
    }

    /// <summary>Smallest value that falls in <paramref name="bucket"/>.</summary>
    public static long LowerBound(int bucket)
    {
        if (bucket < LinearLimit)
        {
            return bucket;
        }

        var offset = bucket - LinearLimit;
        var magnitude = (offset / SubBuckets) + 1;
        return (long)((offset % SubBuckets) + SubBuckets) << magnitude;
    }

    /// <summary>Largest value that falls in <paramref name="bucket"/>.</summary>
    public static long UpperBound(int bucket) => bucket < LinearLimit ? bucket : LowerBound(bucket + 1) - 1;

    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        Interlocked.Increment(ref counts[BucketOf(value)]);
        Interlocked.Increment(ref total);
        Interlocked.Add(ref sum, value);
        long seen;
        while (value > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, value, seen) != seen)
        {
        }

        while (value < (seen = Volatile.Read(ref min)) && Interlocked.CompareExchange(ref min, value, seen) != seen)
        {
        }
    }

    /// <summary>
    /// The value at percentile <paramref name="p"/> (0..100): the upper bound of the bucket holding that rank, capped by
    /// the exact maximum (so p100 is the exact max). 0 when empty.
    /// </summary>
    public long Percentile(double p)
    {
        var n = Count;
        if (n == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(p, 0, 100) / 100.0 * n);
        rank = Math.Max(1, rank);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += Volatile.Read(ref counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), Max);
            }
        }

        return Max;
    }

    /// <summary>Adds everything <paramref name="other"/> holds.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            var c = Volatile.Read(ref other.counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref counts[i], c);
            }
        }

        Interlocked.Add(ref total, other.Count);
        Interlocked.Add(ref sum, Volatile.Read(ref other.sum));
        max = Math.Max(Max, other.Max);
        min = Math.Min(Volatile.Read(ref min), other.Min);
    }

    /// <summary>Values recorded since <paramref name="earlier"/> (a copy taken from this histogram).</summary>
    public LatencyHistogram Since(LatencyHistogram earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var result = new LatencyHistogram();
        long n = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var c = Volatile.Read(ref counts[i]) - earlier.counts[i];
            if (c > 0)
            {
                result.counts[i] = c;
                n += c;
                result.max = Math.Max(result.max, UpperBound(i));
                result.min = Math.Min(result.min, LowerBound(i));
            }
        }

        result.total = n;
        result.sum = Volatile.Read(ref sum) - earlier.sum;
        if (n > 0)
        {
            result.max = Math.Min(result.max, Max);
        }

        return result;
    }

    public LatencyHistogram Copy()
    {
        var copy = new LatencyHistogram();
        copy.Merge(this);
        return copy;
    }

    /// <summary>Snapshot for JSON: non-zero buckets as [bucket, count] pairs plus the exact extremes.</summary>
    public HistogramData ToData()
    {
        var buckets = new List<long[]>();
        for (var i = 0; i < counts.Length; i++)
        {
            var c = Volatile.Read(ref counts[i]);
            if (c != 0)
            {
                buckets.Add([i, c]);
            }
        }

        return new HistogramData(Count, Volatile.Read(ref sum), Min, Max, buckets);
    }

    public static LatencyHistogram FromData(HistogramData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var h = new LatencyHistogram();
        foreach (var pair in data.Buckets)
        {
            if (pair.Length != 2 || pair[0] < 0 || pair[0] >= BucketCount || pair[1] < 0)
            {
                throw new FormatException($"bad histogram bucket [{string.Join(',', pair)}]");
            }

            h.counts[pair[0]] += pair[1];
        }

        h.total = data.Count;
        h.sum = data.Sum;
        h.max = data.Max;
        h.min = data.Count == 0 ? long.MaxValue : data.Min;
        return h;
    }

    /// <summary>p50/p90/p99/p99.9/max in milliseconds.</summary>
    public LatencySummary Summarize() => new(
        Count,
        Percentile(50) / 1000.0,
        Percentile(90) / 1000.0,
        Percentile(99) / 1000.0,
        Percentile(99.9) / 1000.0,
        Max / 1000.0,
        Mean / 1000.0);
}
