namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>A worker's live figures (once a second).</summary>
internal sealed record WorkerProgress(long Connected, long Sent, long Acked, long Delivered, double IntervalP99Ms, long Errors);
