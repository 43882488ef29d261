using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// One per silo: push notifications for committed messages, off the ack path. Conversations hand each committed message
/// over with <see cref="Enqueue"/> (never waiting); one loop decides batches of them (<see cref="PushDecider"/>) and
/// hands the notifications to one <see cref="ProviderSender"/> per provider, whose bounded queue slows the decision
/// down when the provider cannot keep up. A message refused because the queue is full, or a batch whose lookups failed,
/// is logged and counted; nothing is dropped silently.
/// </summary>
public sealed partial class PushService : BackgroundService
{
    private readonly Channel<PushRequest> queue;
    private readonly PushDecider decider;
    private readonly PushMetrics metrics;
    private readonly ILogger<PushService> logger;
    private readonly int maxBatch;
    private readonly Dictionary<Models.DeviceType, ProviderSender> senders = [];
    private long refused;

    public PushService(
        PushDecider decider,
        IEnumerable<IPushProvider> providers,
        Data.Devices.DeviceStore devices,
        PushMetrics metrics,
        IOptions<PushOptions> options,
        ILoggerFactory loggers)
    {
        this.decider = decider;
        this.metrics = metrics;
        logger = loggers.CreateLogger<PushService>();
        maxBatch = options.Value.MaxDecisionBatch;
        queue = Channel.CreateBounded<PushRequest>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.ObserveQueue(() => Waiting);
        foreach (var provider in providers)
        {
            if (!senders.TryAdd(provider.Device, new ProviderSender(provider, devices, metrics, options.Value, loggers.CreateLogger<ProviderSender>())))
            {
                throw new InvalidOperationException($"two push providers for {provider.Device}");
            }
        }
    }

    /// <summary>Committed messages waiting for the push decision (also the gauge <c>teamtalk.push.queue_depth</c>).</summary>
    public int Waiting => queue.Reader.Count;

    /// <summary>
    /// Hands a committed message over; returns at once. Receivers in <paramref name="onMobile"/> (their delivery found a
    /// live mobile connection, so the phone has the message) are skipped here, as the decision would skip them, without
    /// a token query. Refused (logged, counted) when the queue is full.
    /// </summary>
    public void Enqueue(PushRequest request, uint[] onMobile)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onMobile);
        if (onMobile.Length > 0 && request.Receivers.Any(onMobile.Contains))
        {
            uint[] rest = [.. request.Receivers.Where(r => !onMobile.Contains(r))];
            metrics.Skipped("mobile_online", request.Receivers.Length - rest.Length);
            request = request with { Receivers = rest };
        }

        if (request.Receivers.Length == 0)
        {
            return;
        }

        if (!queue.Writer.TryWrite(request))
        {
            metrics.Dropped("queue_full", request.Receivers.Length);
            // One line per thousand refusals: a flood must not flood the log too.
            if (Interlocked.Increment(ref refused) % 1000 == 1)
            {
                LogQueueFull(request.Message.MsgId, Interlocked.Read(ref refused));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = senders.Values.Select(s => s.RunAsync(stoppingToken)).ToList();
        try
        {
            await DecideLoopAsync(stoppingToken);
        }
        finally
        {
            foreach (var sender in senders.Values)
            {
                sender.Complete();
            }

            await Task.WhenAll(loops);
        }
    }

    private async Task DecideLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PushRequest>(maxBatch);
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            List<PushNotification> notifications;
            try
            {
                notifications = await decider.DecideAsync(batch);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var receivers = batch.Sum(r => r.Receivers.Length);
                metrics.Dropped("lookup_failed", receivers);
                LogDecisionFailed(ex, batch.Count, receivers);
                continue;
            }

            foreach (var notification in notifications)
            {
                if (senders.TryGetValue(notification.Device, out var sender))
                {
                    await sender.EnqueueAsync(notification, stoppingToken);
                }
                else
                {
                    metrics.Skipped("no_provider");
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push queue full: message {MsgId} gets no push ({Refused} refused so far)")]
    private partial void LogQueueFull(uint msgId, long refused);

    [LoggerMessage(Level = LogLevel.Error, Message = "Push decision for {Messages} messages ({Receivers} receivers) failed; they get no push")]
    private partial void LogDecisionFailed(Exception exception, int messages, int receivers);
}
