
namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>Keeps trying to reach the cluster at start (a gateway started before its silos waits for them), logging each failure.</summary>
internal sealed partial class RetryForeverFilter(TimeProvider time, ILogger<RetryForeverFilter> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetry(exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster not reachable yet ({Reason}); retrying")]
    private partial void LogRetry(string reason);
}
