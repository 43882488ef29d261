namespace TeamTalk.Orleans.LoadGen.Metrics;

/// <summary>Percentiles in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs);
