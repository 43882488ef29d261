using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Diagnostics;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// One per silo: collects the pending messages of every conversation (Relation and Group grains) and commits them
/// together, one transaction per batch (a batch is whatever arrived while the previous transaction ran, up to
/// <see cref="MessageCommitterOptions.MaxBatchMessages"/>; with <see cref="MessageCommitterOptions.MaxLingerMicroseconds"/>
/// set, when that is shallow and the machine idle, plus what arrives during a short wait that <see cref="CommitPacer"/>
/// sizes from the arrival rate), through <see cref="MessageBatchWriter"/>. A conversation
/// whose id watermark moved under it fails alone (invariant 2) and the batch is retried without it. Each message's task
/// completes only after the commit; a failed batch acks nothing.
/// </summary>
public sealed partial class MessageCommitter : BackgroundService
{
    private readonly Channel<PendingMessage> queue;
    private readonly MessageBatchWriter writer;
    private readonly TimeProvider time;
    private readonly ILogger<MessageCommitter> logger;
    private readonly int maxBatch;
    private readonly FaultLog faults;
    private readonly CommitPacer pacer;

    /// <summary>While the loop gathers: completed by the message that brings the queue to <see cref="fillAt"/>.</summary>
    private TaskCompletionSource? filled;
    private int fillAt;

    /// <summary>A committer; without <c>metrics</c> (tests) it makes a meter of its own.</summary>
    public MessageCommitter(
        MessageBatchWriter writer, IOptions<MessageCommitterOptions> options, TimeProvider time, ILogger<MessageCommitter> logger, ConversationMetrics? metrics = null)
    {
        this.writer = writer;
        this.time = time;
        this.logger = logger;
        maxBatch = options.Value.MaxBatchMessages;
        // A full batch is as full as it gets: the target is never above the batch limit.
        pacer = new CommitPacer(
            time,
            TimeSpan.FromTicks(options.Value.MaxLingerMicroseconds * TimeSpan.TicksPerMicrosecond),
            Math.Min(options.Value.LingerTargetMessages, maxBatch),
            options.Value.LingerMaxRate);
        faults = new FaultLog("Message commit batches", logger, time);
        queue = Channel.CreateBounded<PendingMessage>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Metrics = metrics ?? new ConversationMetrics(null, time);
        Metrics.ObserveQueue(() => queue.Reader.Count);
    }

    /// <summary>The silo's conversation instruments (conversations reach them through their committer).</summary>
    public ConversationMetrics Metrics { get; }

    /// <summary>Queues a message; the returned task completes when its batch committed.</summary>
    public async Task CommitAsync(PendingMessage message)
    {
        await queue.Writer.WriteAsync(message);
        if (Volatile.Read(ref filled) is { } gathering && queue.Reader.Count >= Volatile.Read(ref fillAt))
        {
            gathering.TrySetResult();
        }

        await message.Committed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingMessage>(maxBatch);
        var reader = queue.Reader;
        var lastTransaction = TimeSpan.Zero;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            Take(batch);
            var linger = pacer.LingerFor(batch.Count, backlog: ThreadPool.PendingWorkItemCount > Environment.ProcessorCount, lastTransaction);
            if (linger > TimeSpan.Zero)
            {
                var gathering = Stopwatch.GetTimestamp();
                await GatherAsync(batch, linger, stoppingToken);
                pacer.Woke(linger, Stopwatch.GetElapsedTime(gathering));
            }

            var committing = Stopwatch.GetTimestamp();
            await CommitBatchAsync(batch);
            lastTransaction = Stopwatch.GetElapsedTime(committing);
        }
    }

    /// <summary>
    /// Adds what arrives within <paramref name="linger"/> to a shallow batch: one wait that ends at the bound, or as soon
    /// as the queue holds what the batch lacks of the linger target (the arrival that fills it ends the wait, so a
    /// full batch commits at once, and the arrivals before it wake nobody). The bound runs on the system clock, not on
    /// the silo's <see cref="TimeProvider"/>: a test's fake clock moves only when told, and a wait on it would hold
    /// every commit.
    /// </summary>
    private async Task GatherAsync(List<PendingMessage> batch, TimeSpan linger, CancellationToken stoppingToken)
    {
        var gathering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var missing = pacer.Target - batch.Count;
        Volatile.Write(ref fillAt, missing);
        Volatile.Write(ref filled, gathering);
        if (queue.Reader.Count >= missing)
        {
            gathering.TrySetResult(); // filled before the signal was set
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(gathering.Task, Task.Delay(linger, bound.Token));
        bound.Cancel(); // the delay's timer, when the batch filled first
        Volatile.Write(ref filled, null);
        stoppingToken.ThrowIfCancellationRequested();
        Take(batch);
    }

    /// <summary>Moves queued messages into <paramref name="batch"/>, up to the batch limit.</summary>
    private void Take(List<PendingMessage> batch)
    {
        var before = batch.Count;
        while (batch.Count < maxBatch && queue.Reader.TryRead(out var message))
        {
            batch.Add(message);
        }

        pacer.Took(batch.Count - before);
    }

    private async Task CommitBatchAsync(List<PendingMessage> batch)
    {
        var started = time.GetTimestamp();
        var remaining = batch;
        while (remaining.Count > 0)
        {
            HashSet<WriterKey> conflicts;
            try
            {
                conflicts = await writer.TryWriteAsync(remaining, (uint)time.GetUtcNow().ToUnixTimeSeconds());
            }
            catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                if (faults.Record(ex))
                {
                    LogBatchFailed(ex, remaining.Count);
                }

                Metrics.BatchFailed(batch.Count, time.GetElapsedTime(started));
                foreach (var message in remaining)
                {
                    message.Fail(ex);
                }

                return;
            }

            faults.Recovered();
            if (conflicts.Count == 0)
            {
                Metrics.BatchCommitted(remaining.Count, time.GetElapsedTime(started));
                foreach (var message in remaining)
                {
                    message.Succeed();
                }

                return;
            }

            var kept = new List<PendingMessage>(remaining.Count);
            foreach (var message in remaining)
            {
                if (conflicts.Contains(WriterKey.Of(message)))
                {
                    message.Fail(new ConversationConflictException(message.Kind, message.ConversationId));
                }
                else
                {
                    kept.Add(message);
                }
            }

            LogConflicts(conflicts.Count, remaining.Count - kept.Count);
            remaining = kept;
        }
    }

    public override void Dispose()
    {
        faults.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} messages could not be committed; none is acknowledged (further failures are counted until commits work again)")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Conversations} conversations lost their id watermark to another writer; {Messages} messages not committed")]
    private partial void LogConflicts(int conversations, int messages);
}
