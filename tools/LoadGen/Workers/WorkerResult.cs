using TeamTalk.Orleans.LoadGen.Metrics;

namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>
/// What one worker measured, in a form that merges across processes: counters add up, maxima/minima combine,
/// histograms merge bucket by bucket, per-second series add element-wise.
/// </summary>
internal sealed class WorkerResult
{
    public Dictionary<string, long> Counters { get; init; } = [];

    public Dictionary<string, long> Maxima { get; init; } = [];

    public Dictionary<string, long> Minima { get; init; } = [];

    public Dictionary<string, HistogramData> Histograms { get; init; } = [];

    public Dictionary<string, long[]> Series { get; init; } = [];

    public List<string> Notes { get; init; } = [];

    public long Counter(string name) => Counters.TryGetValue(name, out var v) ? v : 0;

    public long MaxOf(string name) => Maxima.TryGetValue(name, out var v) ? v : 0;

    public long MinOf(string name) => Minima.TryGetValue(name, out var v) ? v : 0;

    public LatencyHistogram Histogram(string name) =>
        Histograms.TryGetValue(name, out var h) ? LatencyHistogram.FromData(h) : new LatencyHistogram();

    public void Add(string name, long value) => Counters[name] = Counter(name) + value;

    public void Max(string name, long value) => Maxima[name] = Maxima.TryGetValue(name, out var v) ? Math.Max(v, value) : value;

    public void Min(string name, long value) => Minima[name] = Minima.TryGetValue(name, out var v) ? Math.Min(v, value) : value;

    public void Merge(WorkerResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (k, v) in other.Counters)
        {
            Add(k, v);
        }

        foreach (var (k, v) in other.Maxima)
        {
            Max(k, v);
        }

        foreach (var (k, v) in other.Minima)
        {
            Min(k, v);
        }

        foreach (var (k, v) in other.Histograms)
        {
            var merged = Histogram(k);
            merged.Merge(LatencyHistogram.FromData(v));
            Histograms[k] = merged.ToData();
        }

        foreach (var (k, v) in other.Series)
        {
            if (!Series.TryGetValue(k, out var mine))
            {
                Series[k] = [.. v];
                continue;
            }

            var sum = new long[Math.Max(mine.Length, v.Length)];
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] = (i < mine.Length ? mine[i] : 0) + (i < v.Length ? v[i] : 0);
            }

            Series[k] = sum;
        }

        foreach (var note in other.Notes.Where(n => !Notes.Contains(n)))
        {
            Notes.Add(note);
        }
    }
}
