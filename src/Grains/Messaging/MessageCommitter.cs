using System.Data;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace TeamTalk.Orleans.Grains.Messaging;

/// <summary>
/// One per silo: collects the pending messages of every Session grain and commits them together, in one transaction
/// per batch (a batch is whatever arrived while the previous transaction ran, up to
/// <see cref="MessageCommitterOptions.MaxBatchMessages"/>). Per transaction: a compare-and-set of each conversation's
/// id watermark (invariant 2: a conversation whose watermark moved under it fails alone, the rest retry without it),
/// one multi-row INSERT per message table, one UPDATE re-activating and bumping the parties' recent sessions, one
/// multi-row upsert of unread counts. Each message's task completes only after the commit; a failed batch acks nothing.
/// </summary>
public sealed partial class MessageCommitter : BackgroundService
{
    private readonly Channel<PendingMessage> queue;
    private readonly MySqlDataSource dataSource;
    private readonly TimeProvider time;
    private readonly ILogger<MessageCommitter> logger;
    private readonly int maxBatch;

    public MessageCommitter(MySqlDataSource dataSource, IOptions<MessageCommitterOptions> options, TimeProvider time, ILogger<MessageCommitter> logger)
    {
        this.dataSource = dataSource;
        this.time = time;
        this.logger = logger;
        maxBatch = options.Value.MaxBatchMessages;
        queue = Channel.CreateBounded<PendingMessage>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a message; the returned task completes when its batch committed.</summary>
    public async Task CommitAsync(PendingMessage message)
    {
        await queue.Writer.WriteAsync(message);
        await message.Committed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingMessage>(maxBatch);
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            await CommitBatchAsync(batch);
        }
    }

    private async Task CommitBatchAsync(List<PendingMessage> batch)
    {
        var remaining = batch;
        while (remaining.Count > 0)
        {
            HashSet<(uint, long)> conflicts;
            try
            {
                conflicts = await TryCommitAsync(remaining);
            }
            catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException)
            {
                LogBatchFailed(ex, remaining.Count);
                foreach (var message in remaining)
                {
                    message.Fail(ex);
                }

                return;
            }

            if (conflicts.Count == 0)
            {
                foreach (var message in remaining)
                {
                    message.Succeed();
                }

                return;
            }

            var kept = new List<PendingMessage>(remaining.Count);
            foreach (var message in remaining)
            {
                if (conflicts.Contains((message.RelateId, message.WriterToken)))
                {
                    message.Fail(new ConversationConflictException(message.RelateId));
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

    /// <summary>Writes the batch in one transaction; returns the conversations whose watermark moved (then nothing was committed).</summary>
    private async Task<HashSet<(uint, long)>> TryCommitAsync(List<PendingMessage> messages)
    {
        var groups = messages
            .GroupBy(m => (m.RelateId, m.WriterToken))
            .Select(g => (g.Key.RelateId, g.Key.WriterToken, Expected: g.Min(m => m.MsgId) - 1, Last: g.Max(m => m.MsgId)))
            .ToList();
        var now = (uint)time.GetUtcNow().ToUnixTimeSeconds();

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);

        var conflicts = await AdvanceWatermarksAsync(connection, transaction, groups, now);
        if (conflicts.Count > 0)
        {
            await transaction.RollbackAsync();
            return conflicts;
        }

        foreach (var table in messages.GroupBy(m => MessageTables.ForRelation(m.RelateId)))
        {
            await InsertMessagesAsync(connection, transaction, table.Key, [.. table]);
        }

        await TouchRecentSessionsAsync(connection, transaction, messages, now);
        await CountUnreadAsync(connection, transaction, messages, now);
        await transaction.CommitAsync();
        return conflicts;
    }

    private static async Task<HashSet<(uint, long)>> AdvanceWatermarksAsync(
        MySqlConnection connection, MySqlTransaction transaction, List<(uint RelateId, long Token, uint Expected, uint Last)> groups, uint now)
    {
        var sql = new StringBuilder("INSERT INTO TeamTalkMsgIdWatermark (relateId, lastMsgId, expectedMsgId, writerToken, updated) VALUES ");
        await using var upsert = new MySqlCommand { Connection = connection, Transaction = transaction };
        for (var i = 0; i < groups.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@r{i},@l{i},@e{i},@t{i},@now)");
            upsert.Parameters.AddWithValue($"@r{i}", groups[i].RelateId);
            upsert.Parameters.AddWithValue($"@l{i}", groups[i].Last);
            upsert.Parameters.AddWithValue($"@e{i}", groups[i].Expected);
            upsert.Parameters.AddWithValue($"@t{i}", groups[i].Token);
        }

        // Compare-and-set per row: the token first (it reads the old lastMsgId), then the id itself.
        sql.Append(" ON DUPLICATE KEY UPDATE writerToken = IF(lastMsgId = VALUES(expectedMsgId), VALUES(writerToken), writerToken),")
            .Append(" updated = IF(lastMsgId = VALUES(expectedMsgId), VALUES(updated), updated),")
            .Append(" lastMsgId = IF(lastMsgId = VALUES(expectedMsgId), VALUES(lastMsgId), lastMsgId)");
        upsert.CommandText = sql.ToString();
        upsert.Parameters.AddWithValue("@now", now);
        await upsert.ExecuteNonQueryAsync();

        var check = new StringBuilder("SELECT relateId, lastMsgId, writerToken FROM TeamTalkMsgIdWatermark WHERE relateId IN (");
        await using var verify = new MySqlCommand { Connection = connection, Transaction = transaction };
        var relations = groups.Select(g => g.RelateId).Distinct().ToList();
        for (var i = 0; i < relations.Count; i++)
        {
            check.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@r{i}");
            verify.Parameters.AddWithValue($"@r{i}", relations[i]);
        }

        verify.CommandText = check.Append(')').ToString();
        var state = new Dictionary<uint, (uint Last, long Token)>();
        await using (var reader = await verify.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                state[reader.GetUInt32(0)] = (reader.GetUInt32(1), reader.GetInt64(2));
            }
        }

        var conflicts = new HashSet<(uint, long)>();
        foreach (var group in groups)
        {
            if (!state.TryGetValue(group.RelateId, out var current) || current.Last != group.Last || current.Token != group.Token)
            {
                conflicts.Add((group.RelateId, group.Token));
            }
        }

        return conflicts;
    }

    private static async Task InsertMessagesAsync(MySqlConnection connection, MySqlTransaction transaction, string table, List<PendingMessage> rows)
    {
        var sql = new StringBuilder(256 + (rows.Count * 64)).Append("INSERT INTO ").Append(table)
            .Append(" (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ");
        await using var insert = new MySqlCommand { Connection = connection, Transaction = transaction };
        for (var i = 0; i < rows.Count; i++)
        {
            var m = rows[i];
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@r{i},@f{i},@t{i},@m{i},@c{i},@y{i},0,@d{i},@d{i})");
            insert.Parameters.AddWithValue($"@r{i}", m.RelateId);
            insert.Parameters.AddWithValue($"@f{i}", m.FromId);
            insert.Parameters.AddWithValue($"@t{i}", m.ToId);
            insert.Parameters.AddWithValue($"@m{i}", m.MsgId);
            insert.Parameters.AddWithValue($"@c{i}", m.Content);
            insert.Parameters.AddWithValue($"@y{i}", m.Type);
            insert.Parameters.AddWithValue($"@d{i}", m.Created);
        }

        insert.CommandText = sql.ToString();
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task TouchRecentSessionsAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<PendingMessage> messages, uint now)
    {
        var ids = messages.SelectMany(m => m.RecentSessionIds).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder("UPDATE IMRecentSession SET status = 0, updated = @now WHERE id IN (");
        await using var update = new MySqlCommand { Connection = connection, Transaction = transaction };
        for (var i = 0; i < ids.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@i{i}");
            update.Parameters.AddWithValue($"@i{i}", ids[i]);
        }

        update.CommandText = sql.Append(')').ToString();
        update.Parameters.AddWithValue("@now", now);
        await update.ExecuteNonQueryAsync();
    }

    private static async Task CountUnreadAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<PendingMessage> messages, uint now)
    {
        var counts = messages.GroupBy(m => (m.ToId, m.FromId)).Select(g => (g.Key.ToId, g.Key.FromId, Count: g.Count())).ToList();
        var sql = new StringBuilder("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ");
        await using var upsert = new MySqlCommand { Connection = connection, Transaction = transaction };
        for (var i = 0; i < counts.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@u{i},1,@p{i},@n{i},0,@now)");
            upsert.Parameters.AddWithValue($"@u{i}", counts[i].ToId);
            upsert.Parameters.AddWithValue($"@p{i}", counts[i].FromId);
            upsert.Parameters.AddWithValue($"@n{i}", counts[i].Count);
        }

        upsert.CommandText = sql.Append(" ON DUPLICATE KEY UPDATE unreadCount = unreadCount + VALUES(unreadCount), updated = VALUES(updated)").ToString();
        upsert.Parameters.AddWithValue("@now", now);
        await upsert.ExecuteNonQueryAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} messages could not be committed; none is acknowledged")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Conversations} conversations lost their id watermark to another writer; {Messages} messages not committed")]
    private partial void LogConflicts(int conversations, int messages);
}
