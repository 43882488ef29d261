using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Data.Devices;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// The notifications waiting for one provider (bounded: a full queue makes the decision wait) and the loop that sends
/// them in batches of at most <see cref="PushOptions.ProviderBatch"/>. Each result is counted; an invalid token is
/// removed from MySQL; a failure is logged with its reason.
/// </summary>
public sealed partial class ProviderSender
{
    private readonly IPushProvider provider;
    private readonly DeviceStore devices;
    private readonly PushMetrics metrics;
    private readonly ILogger<ProviderSender> logger;
    private readonly Channel<PushNotification> queue;
    private readonly int maxBatch;

    public ProviderSender(IPushProvider provider, DeviceStore devices, PushMetrics metrics, PushOptions options, ILogger<ProviderSender> logger)
    {
        this.provider = provider;
        this.devices = devices;
        this.metrics = metrics;
        this.logger = logger;
        maxBatch = options.ProviderBatch;
        queue = Channel.CreateBounded<PushNotification>(new BoundedChannelOptions(options.ProviderQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues one notification, waiting while the queue is full.</summary>
    public ValueTask EnqueueAsync(PushNotification notification, CancellationToken cancellationToken) =>
        queue.Writer.WriteAsync(notification, cancellationToken);

    /// <summary>No more notifications: the loop ends once the queue is empty.</summary>
    public void Complete() => queue.Writer.TryComplete();

    /// <summary>Sends until <see cref="Complete"/> and the queue is drained, or until stopped.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PushNotification>(maxBatch);
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < maxBatch && reader.TryRead(out var notification))
                {
                    batch.Add(notification);
                }

                await SendBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            var left = reader.Count + batch.Count;
            if (left > 0)
            {
                metrics.Dropped("shutdown", left);
                LogShutdown(provider.Name, left);
            }
        }
    }

    private async Task SendBatchAsync(List<PushNotification> batch, CancellationToken stoppingToken)
    {
        PushResult[] results;
        try
        {
            results = await provider.SendAsync(batch, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogProviderFailed(ex, provider.Name, batch.Count);
            results = [.. batch.Select(_ => PushResult.Failed(ex.GetType().Name))];
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var result = i < results.Length ? results[i] : PushResult.Failed("no result");
            switch (result.Outcome)
            {
                case PushOutcome.Delivered:
                    metrics.Sent(provider.Name);
                    break;
                case PushOutcome.InvalidToken:
                    metrics.InvalidToken(provider.Name);
                    await RemoveTokenAsync(batch[i], result.Reason);
                    break;
                default:
                    metrics.Failed(provider.Name, result.Reason ?? "unknown");
                    LogPushFailed(provider.Name, batch[i].UserId, batch[i].MsgId, result.Reason ?? "unknown");
                    break;
            }
        }
    }

    private async Task RemoveTokenAsync(PushNotification notification, string? reason)
    {
        try
        {
            var removed = await devices.RemoveTokenAsync(notification.Token);
            LogTokenRemoved(provider.Name, notification.UserId, reason ?? "invalid", removed);
        }
        catch (Exception ex) when (ex is MySqlConnector.MySqlException or InvalidOperationException or TimeoutException)
        {
            LogTokenRemovalFailed(ex, provider.Name, notification.UserId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push provider {Provider} threw for a batch of {Count}; counted as failed")]
    private partial void LogProviderFailed(Exception exception, string provider, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push via {Provider} to user {UserId} (message {MsgId}) failed: {Reason}")]
    private partial void LogPushFailed(string provider, uint userId, uint msgId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push via {Provider}: token of user {UserId} invalid ({Reason}); {Removed} row(s) removed")]
    private partial void LogTokenRemoved(string provider, uint userId, string reason, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push via {Provider}: the invalid token of user {UserId} could not be removed")]
    private partial void LogTokenRemovalFailed(Exception exception, string provider, uint userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push via {Provider}: {Count} notifications not sent at shutdown")]
    private partial void LogShutdown(string provider, int count);
}
