using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Data;

namespace TeamTalk.Orleans.Grains.Messaging;

/// <summary>
/// One per silo: collects the pending messages of every Session grain and commits them together, in one transaction
/// per batch (a batch is whatever arrived while the previous transaction ran, up to
/// <see cref="MessageCommitterOptions.MaxBatchMessages"/>). Per transaction: a compare-and-set of each conversation's
/// id watermark (invariant 2: a conversation whose watermark moved under it fails alone, the rest retry without it),
/// one multi-row INSERT per message table (1:1 and group), one UPDATE re-activating and bumping the parties' recent
/// sessions, one multi-row upsert of 1:1 unread counts and one of the group senders' read positions, all sent in one
/// round trip, then COMMIT. Each message's task completes only after the
/// commit; a failed batch acks nothing.
/// </summary>
public sealed partial class MessageCommitter : BackgroundService
{
    private readonly Channel<PendingMessage> queue;
    private readonly Database database;
    private readonly TimeProvider time;
    private readonly ILogger<MessageCommitter> logger;
    private readonly int maxBatch;

    public MessageCommitter(Database database, IOptions<MessageCommitterOptions> options, TimeProvider time, ILogger<MessageCommitter> logger)
    {
        this.database = database;
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
            HashSet<WriterKey> conflicts;
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

    /// <summary>
    /// Writes the batch in one transaction and two round trips: every statement (transaction start included) goes in
    /// one command, and the watermark check read back from it decides between COMMIT and ROLLBACK. Returns the conversations whose watermark moved
    /// (then nothing was committed). When a moved conversation's rows collide with the other writer's (duplicate key),
    /// the watermarks alone are checked again in a transaction of their own.
    /// </summary>
    private async Task<HashSet<WriterKey>> TryCommitAsync(List<PendingMessage> messages)
    {
        var groups = messages
            .GroupBy(WriterKey.Of)
            .Select(g => new WatermarkMove(g.Key, g.Min(m => m.MsgId) - 1, g.Max(m => m.MsgId)))
            .ToList();
        var now = (uint)time.GetUtcNow().ToUnixTimeSeconds();

        await using var connection = await database.OpenAsync();
        MySqlException? collision;
        try
        {
            await using var batch = new StatementBatch(connection);
            AdvanceWatermarks(batch, groups, now);
            foreach (var table in messages.GroupBy(m => (m.Kind, Table: MessageTables.For(m.Kind, m.ConversationId))))
            {
                InsertMessages(batch, table.Key.Kind, table.Key.Table, [.. table]);
            }

            TouchRecentSessions(batch, messages, now);
            CountUnread(batch, messages, now);
            MoveGroupSendersReadPositions(batch, messages, now);
            var conflicts = Conflicts(groups, await batch.ExecuteAsync());
            await EndTransactionAsync(connection, commit: conflicts.Count == 0);
            return conflicts;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            collision = ex;
            await EndTransactionAsync(connection, commit: false);
        }
        catch
        {
            await RollBackQuietlyAsync(connection);
            throw;
        }

        try
        {
            await using var batch = new StatementBatch(connection);
            AdvanceWatermarks(batch, groups, now);
            var conflicts = Conflicts(groups, await batch.ExecuteAsync());
            await EndTransactionAsync(connection, commit: false);
            if (conflicts.Count == 0)
            {
                // Rows above every watermark already exist: not a concurrent writer; fail the batch, the sessions reload.
                throw new InvalidOperationException("message rows collided although no watermark moved", collision);
            }

            return conflicts;
        }
        catch (MySqlException)
        {
            await RollBackQuietlyAsync(connection);
            throw;
        }
    }

    private static async Task EndTransactionAsync(MySqlConnection connection, bool commit)
    {
        await using var end = new MySqlCommand(commit ? "COMMIT" : "ROLLBACK", connection);
        await end.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// After a failure: ends the transaction. When even that fails, the pool is cleared so that no pooled connection
    /// goes on inside a transaction (pooled connections are not reset when taken; the server rolls back on close).
    /// </summary>
    private async Task RollBackQuietlyAsync(MySqlConnection connection)
    {
        try
        {
            await EndTransactionAsync(connection, commit: false);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            LogRollbackFailed(ex);
            await MySqlConnection.ClearPoolAsync(connection);
        }
    }

    /// <summary>Compare-and-set of each conversation's watermark (one upsert per kind), then a read-back of the rows (the check).</summary>
    private static void AdvanceWatermarks(StatementBatch batch, List<WatermarkMove> groups, uint now)
    {
        var at = batch.Add(now);
        foreach (var kind in groups.Select(g => g.Writer.Kind).Distinct())
        {
            var (table, key) = WatermarkTable(kind);
            var moves = groups.Where(g => g.Writer.Kind == kind).ToList();
            var sql = batch.Sql.Append("INSERT INTO ").Append(table).Append(" (").Append(key).Append(", lastMsgId, expectedMsgId, writerToken, updated) VALUES ");
            for (var i = 0; i < moves.Count; i++)
            {
                var g = moves[i];
                sql.Append(i == 0 ? "(" : ",(").Append(batch.Add(g.Writer.Id)).Append(',').Append(batch.Add(g.Last)).Append(',')
                    .Append(batch.Add(g.Expected)).Append(',').Append(batch.Add(g.Writer.Token)).Append(',').Append(at).Append(')');
            }

            // Per row: the token first (it reads the old lastMsgId), then the id itself.
            sql.Append(" ON DUPLICATE KEY UPDATE writerToken = IF(lastMsgId = VALUES(expectedMsgId), VALUES(writerToken), writerToken),")
                .Append(" updated = IF(lastMsgId = VALUES(expectedMsgId), VALUES(updated), updated),")
                .Append(" lastMsgId = IF(lastMsgId = VALUES(expectedMsgId), VALUES(lastMsgId), lastMsgId);");

            sql.Append(kind == ConversationKind.Group ? "SELECT 2, " : "SELECT 1, ").Append(key).Append(", lastMsgId, writerToken FROM ").Append(table).Append(" WHERE ").Append(key).Append(" IN (");
            var first = true;
            foreach (var id in moves.Select(g => g.Writer.Id).Distinct())
            {
                sql.Append(first ? string.Empty : ",").Append(batch.Add(id));
                first = false;
            }

            sql.Append(");");
        }
    }

    private static (string Table, string Key) WatermarkTable(ConversationKind kind) => kind == ConversationKind.Group
        ? ("TeamTalkGroupMsgIdWatermark", "groupId")
        : ("TeamTalkMsgIdWatermark", "relateId");

    private static HashSet<WriterKey> Conflicts(List<WatermarkMove> groups, Dictionary<(ConversationKind, uint), (uint Last, long Token)> state)
    {
        var conflicts = new HashSet<WriterKey>();
        foreach (var group in groups)
        {
            if (!state.TryGetValue((group.Writer.Kind, group.Writer.Id), out var current) || current.Last != group.Last || current.Token != group.Writer.Token)
            {
                conflicts.Add(group.Writer);
            }
        }

        return conflicts;
    }

    private static void InsertMessages(StatementBatch batch, ConversationKind kind, string table, List<PendingMessage> rows)
    {
        var group = kind == ConversationKind.Group;
        var sql = batch.Sql.Append("INSERT INTO ").Append(table).Append(group
            ? " (groupId, userId, msgId, content, type, status, created, updated) VALUES "
            : " (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            var m = rows[i];
            var created = batch.Add(m.Created);
            sql.Append(i == 0 ? "(" : ",(").Append(batch.Add(m.ConversationId)).Append(',').Append(batch.Add(m.FromId)).Append(',');
            if (!group)
            {
                sql.Append(batch.Add(m.ToId)).Append(',');
            }

            sql.Append(batch.Add(m.MsgId)).Append(',').Append(batch.Add(m.Content)).Append(',')
                .Append(batch.Add(m.Type)).Append(",0,").Append(created).Append(',').Append(created).Append(')');
        }

        sql.Append(';');
    }

    /// <summary>Re-activates and bumps the parties' recent sessions.</summary>
    private static void TouchRecentSessions(StatementBatch batch, IReadOnlyList<PendingMessage> messages, uint now)
    {
        var ids = messages.SelectMany(m => m.RecentSessionIds).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var sql = batch.Sql.Append("UPDATE IMRecentSession SET status = 0, updated = ").Append(batch.Add(now)).Append(" WHERE id IN (");
        for (var i = 0; i < ids.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ",").Append(batch.Add(ids[i]));
        }

        sql.Append(");");
    }

    private static void CountUnread(StatementBatch batch, IReadOnlyList<PendingMessage> messages, uint now)
    {
        var counts = messages.Where(m => m.Kind == ConversationKind.Pair)
            .GroupBy(m => (m.ToId, m.FromId)).Select(g => (g.Key.ToId, g.Key.FromId, Count: g.Count())).ToList();
        if (counts.Count == 0)
        {
            return;
        }

        var sql = batch.Sql.Append("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ");
        var at = batch.Add(now);
        for (var i = 0; i < counts.Count; i++)
        {
            sql.Append(i == 0 ? "(" : ",(").Append(batch.Add(counts[i].ToId)).Append(",1,").Append(batch.Add(counts[i].FromId))
                .Append(',').Append(batch.Add(counts[i].Count)).Append(",0,").Append(at).Append(')');
        }

        sql.Append(" ON DUPLICATE KEY UPDATE unreadCount = unreadCount + VALUES(unreadCount), updated = VALUES(updated);");
    }

    /// <summary>A group member who sent a message has read the group up to it (the original resets the sender's counter on send).</summary>
    private static void MoveGroupSendersReadPositions(StatementBatch batch, IReadOnlyList<PendingMessage> messages, uint now)
    {
        var positions = messages.Where(m => m.Kind == ConversationKind.Group)
            .GroupBy(m => (m.FromId, m.ConversationId)).Select(g => (g.Key.FromId, g.Key.ConversationId, Last: g.Max(m => m.MsgId))).ToList();
        if (positions.Count == 0)
        {
            return;
        }

        var sql = batch.Sql.Append("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ");
        var at = batch.Add(now);
        for (var i = 0; i < positions.Count; i++)
        {
            sql.Append(i == 0 ? "(" : ",(").Append(batch.Add(positions[i].FromId)).Append(",2,").Append(batch.Add(positions[i].ConversationId))
                .Append(",0,").Append(batch.Add(positions[i].Last)).Append(',').Append(at).Append(')');
        }

        sql.Append(" ON DUPLICATE KEY UPDATE readMsgId = GREATEST(readMsgId, VALUES(readMsgId)), updated = VALUES(updated);");
    }

    /// <summary>One writer (Session activation) of one conversation.</summary>
    private readonly record struct WriterKey(ConversationKind Kind, uint Id, long Token)
    {
        public static WriterKey Of(PendingMessage m) => new(m.Kind, m.ConversationId, m.WriterToken);
    }

    private readonly record struct WatermarkMove(WriterKey Writer, uint Expected, uint Last);

    /// <summary>
    /// Statements sent as one command (one round trip), every value a parameter (@p0, @p1, …). It opens a READ COMMITTED
    /// transaction, which the caller ends with COMMIT or ROLLBACK. Its only result set is the watermark read-back.
    /// </summary>
    private sealed class StatementBatch(MySqlConnection connection) : IAsyncDisposable
    {
        private readonly MySqlCommand command = new() { Connection = connection };

        public StringBuilder Sql { get; } = new StringBuilder(1024).Append("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION;");

        /// <summary>Adds a parameter; returns its name.</summary>
        public string Add(object value)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@p{command.Parameters.Count}");
            command.Parameters.AddWithValue(name, value);
            return name;
        }

        /// <summary>Runs the statements; returns the watermark rows read back ((kind, conversation) → lastMsgId, writerToken).</summary>
        public async Task<Dictionary<(ConversationKind, uint), (uint Last, long Token)>> ExecuteAsync()
        {
            command.CommandText = Sql.ToString();
            var state = new Dictionary<(ConversationKind, uint), (uint Last, long Token)>();
            await using var reader = await command.ExecuteReaderAsync();
            do
            {
                if (reader.FieldCount == 4)
                {
                    while (await reader.ReadAsync())
                    {
                        state[((ConversationKind)reader.GetInt32(0), reader.GetUInt32(1))] = (reader.GetUInt32(2), reader.GetInt64(3));
                    }
                }
            }
            while (await reader.NextResultAsync());

            return state;
        }

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} messages could not be committed; none is acknowledged")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolling back a failed batch failed too; the connection pool is cleared, which ends the transaction on the server")]
    private partial void LogRollbackFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Conversations} conversations lost their id watermark to another writer; {Messages} messages not committed")]
    private partial void LogConflicts(int conversations, int messages);
}
