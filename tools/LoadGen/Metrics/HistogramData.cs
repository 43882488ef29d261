namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>Serialized form of a <see cref="LatencyHistogram"/>.</summary>
internal sealed record HistogramData(long Count, long Sum, long Min, long Max, List<long[]> Buckets);
