namespace TeamTalk.Orleans.Grains.Push;

/// <summary>The retry settings every push provider's options carry (APNs, FCM).</summary>
public interface IPushRetrySettings
{
    /// <summary>Retries of a request answered 429, 5xx or not at all; 0: none.</summary>
    int MaxRetries { get; }

    /// <summary>The first retry's delay (exponential backoff with jitter, Retry-After honoured).</summary>
    TimeSpan RetryDelay { get; }

    /// <summary>How long one attempt may take.</summary>
    TimeSpan AttemptTimeout { get; }
}
