using System.Globalization;
using System.Text;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>
/// The statements of one message batch, sent as one command (one round trip), every value a parameter (@p0, @p1, …).
/// It opens a READ COMMITTED transaction, which the caller ends with COMMIT or ROLLBACK (unless made without one, for
/// the locking read of <see cref="LockWatermarks"/>, whose locks then last the statement). Its only result set is the
/// watermark read-back.
/// </summary>
public sealed class MessageBatchSql(MySqlConnection connection, bool transaction = true) : IAsyncDisposable
{
    private readonly MySqlCommand command = new() { Connection = connection };
    private readonly StringBuilder sql = transaction
        ? new StringBuilder(1024).Append("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION;")
        : new StringBuilder(256);

    /// <summary>Each writer's watermark move: from the id before its first message in the batch to its last.</summary>
    public static List<WatermarkMove> Moves(IReadOnlyList<PendingMessage> messages) => [.. messages
        .GroupBy(WriterKey.Of)
        .Select(g => new WatermarkMove(g.Key, g.Min(m => m.MsgId) - 1, g.Max(m => m.MsgId)))];

    /// <summary>The writers whose watermark, read back, is not what their move set.</summary>
    public static HashSet<WriterKey> Conflicts(List<WatermarkMove> moves, Dictionary<(ConversationKind, uint), (uint Last, long Token)> state)
    {
        var conflicts = new HashSet<WriterKey>();
        foreach (var move in moves)
        {
            if (!state.TryGetValue((move.Writer.Kind, move.Writer.Id), out var current) || current.Last != move.Last || current.Token != move.Writer.Token)
            {
                conflicts.Add(move.Writer);
            }
        }

        return conflicts;
    }

    /// <summary>Compare-and-set of each conversation's watermark (one upsert per kind), then a read-back of the rows (the check).</summary>
    public void AdvanceWatermarks(List<WatermarkMove> moves, uint now)
    {
        var at = Add(now);
        foreach (var kind in moves.Select(g => g.Writer.Kind).Distinct())
        {
            var table = MessageTable.For(kind, 0);
            var ofKind = moves.Where(g => g.Writer.Kind == kind).ToList();
            sql.Append("INSERT INTO ").Append(table.Watermark).Append(" (").Append(table.Conversation).Append(", lastMsgId, expectedMsgId, writerToken, updated) VALUES ");
            for (var i = 0; i < ofKind.Count; i++)
            {
                var g = ofKind[i];
                sql.Append(i == 0 ? "(" : ",(").Append(Add(g.Writer.Id)).Append(',').Append(Add(g.Last)).Append(',')
                    .Append(Add(g.Expected)).Append(',').Append(Add(g.Writer.Token)).Append(',').Append(at).Append(')');
            }

            // Per row: the token first (it reads the old lastMsgId), then the id itself.
            sql.Append(" ON DUPLICATE KEY UPDATE writerToken = IF(lastMsgId = VALUES(expectedMsgId), VALUES(writerToken), writerToken),")
                .Append(" updated = IF(lastMsgId = VALUES(expectedMsgId), VALUES(updated), updated),")
                .Append(" lastMsgId = IF(lastMsgId = VALUES(expectedMsgId), VALUES(lastMsgId), lastMsgId);");
            ReadWatermarks(kind, table, ofKind, forUpdate: false);
        }
    }

    /// <summary>
    /// Locking reads of the watermark rows of <paramref name="moves"/> (<c>FOR UPDATE</c>): each waits until no other
    /// transaction holds the row, so it reads what the last writer's transaction ended with, committed or rolled back.
    /// </summary>
    public void LockWatermarks(List<WatermarkMove> moves)
    {
        foreach (var kind in moves.Select(g => g.Writer.Kind).Distinct())
        {
            ReadWatermarks(kind, MessageTable.For(kind, 0), moves.Where(g => g.Writer.Kind == kind), forUpdate: true);
        }
    }

    /// <summary>The read-back of the watermark rows of <paramref name="ofKind"/> (one kind), the result set <see cref="ExecuteAsync"/> reads.</summary>
    private void ReadWatermarks(ConversationKind kind, MessageTable table, IEnumerable<WatermarkMove> ofKind, bool forUpdate)
    {
        sql.Append(CultureInfo.InvariantCulture, $"SELECT {(int)kind}, ").Append(table.Conversation).Append(", lastMsgId, writerToken FROM ").Append(table.Watermark)
            .Append(" WHERE ").Append(table.Conversation).Append(" IN (");
        var first = true;
        foreach (var id in ofKind.Select(g => g.Writer.Id).Distinct())
        {
            sql.Append(first ? string.Empty : ",").Append(Add(id));
            first = false;
        }

        sql.Append(forUpdate ? ") FOR UPDATE;" : ");");
    }

    /// <summary>
    /// One multi-row INSERT per message table for text; an audio message is its <c>IMAudio</c> row and then its own
    /// row, whose <c>content</c> is the audio row's id (<c>LAST_INSERT_ID()</c>).
    /// </summary>
    public void InsertMessages(IReadOnlyList<PendingMessage> messages)
    {
        foreach (var m in messages)
        {
            if (m.Audio is { } audio)
            {
                sql.Append("INSERT INTO IMAudio (fromId, toId, path, size, duration, created) VALUES (").Append(Add(audio.FromId)).Append(',')
                    .Append(Add(audio.ToId)).Append(',').Append(Add(audio.Path)).Append(',').Append(Add(audio.Size)).Append(',')
                    .Append(Add(audio.Duration)).Append(',').Append(Add(audio.Created)).Append(");");
                AppendRows(MessageTable.For(m.Kind, m.ConversationId), [m], "LAST_INSERT_ID()");
            }
        }

        foreach (var rows in messages.Where(m => m.Audio is null).GroupBy(m => MessageTable.For(m.Kind, m.ConversationId)))
        {
            AppendRows(rows.Key, rows, content: null);
        }
    }

    /// <summary>A multi-row INSERT of <paramref name="rows"/> into <paramref name="table"/>; <paramref name="content"/> replaces their text when set.</summary>
    private void AppendRows(MessageTable table, IEnumerable<PendingMessage> rows, string? content)
    {
        var group = table.Kind == ConversationKind.Group;
        sql.Append("INSERT INTO ").Append(table.Name).Append(group
            ? " (groupId, userId, msgId, content, type, status, created, updated) VALUES "
            : " (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ");
        var first = true;
        foreach (var m in rows)
        {
            var created = Add(m.Created);
            sql.Append(first ? "(" : ",(").Append(Add(m.ConversationId)).Append(',').Append(Add(m.FromId)).Append(',');
            if (!group)
            {
                sql.Append(Add(m.ToId)).Append(',');
            }

            sql.Append(Add(m.MsgId)).Append(',').Append(content ?? Add(m.Content)).Append(',')
                .Append(Add((uint)m.Type)).Append(",0,").Append(created).Append(',').Append(created).Append(')');
            first = false;
        }

        sql.Append(';');
    }

    /// <summary>Re-activates and bumps the parties' recent sessions.</summary>
    public void TouchRecentSessions(IReadOnlyList<PendingMessage> messages, uint now)
    {
        var ids = messages.SelectMany(m => m.RecentSessionIds).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        sql.Append("UPDATE IMRecentSession SET status = 0, updated = ").Append(Add(now)).Append(" WHERE id IN (");
        for (var i = 0; i < ids.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ",").Append(Add(ids[i]));
        }

        sql.Append(");");
    }

    /// <summary>Adds each 1:1 message to its receiver's unread count of the sender.</summary>
    public void CountUnread(IReadOnlyList<PendingMessage> messages, uint now)
    {
        var counts = messages.Where(m => m.Kind == ConversationKind.Pair)
            .GroupBy(m => (m.ToId, m.FromId)).Select(g => (g.Key.ToId, g.Key.FromId, Count: g.Count())).ToList();
        if (counts.Count == 0)
        {
            return;
        }

        sql.Append("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ");
        var at = Add(now);
        for (var i = 0; i < counts.Count; i++)
        {
            sql.Append(i == 0 ? "(" : ",(").Append(Add(counts[i].ToId)).Append(",1,").Append(Add(counts[i].FromId))
                .Append(',').Append(Add(counts[i].Count)).Append(",0,").Append(at).Append(')');
        }

        sql.Append(" ON DUPLICATE KEY UPDATE unreadCount = unreadCount + VALUES(unreadCount), updated = VALUES(updated);");
    }

    /// <summary>A group member who sent a message has read the group up to it (the original resets the sender's counter on send).</summary>
    public void MoveGroupSendersReadPositions(IReadOnlyList<PendingMessage> messages, uint now)
    {
        var positions = messages.Where(m => m.Kind == ConversationKind.Group)
            .GroupBy(m => (m.FromId, m.ConversationId)).Select(g => (g.Key.FromId, g.Key.ConversationId, Last: g.Max(m => m.MsgId))).ToList();
        if (positions.Count == 0)
        {
            return;
        }

        sql.Append("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ");
        var at = Add(now);
        for (var i = 0; i < positions.Count; i++)
        {
            sql.Append(i == 0 ? "(" : ",(").Append(Add(positions[i].FromId)).Append(",2,").Append(Add(positions[i].ConversationId))
                .Append(",0,").Append(Add(positions[i].Last)).Append(',').Append(at).Append(')');
        }

        sql.Append(" ON DUPLICATE KEY UPDATE readMsgId = GREATEST(readMsgId, VALUES(readMsgId)), updated = VALUES(updated);");
    }

    /// <summary>Runs the statements; returns the watermark rows read back ((kind, conversation) → lastMsgId, writerToken).</summary>
    public async Task<Dictionary<(ConversationKind, uint), (uint Last, long Token)>> ExecuteAsync()
    {
        command.CommandText = sql.ToString();
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

    /// <summary>Adds a parameter; returns its name.</summary>
    private string Add(object value)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"@p{command.Parameters.Count}");
        command.Parameters.AddWithValue(name, value);
        return name;
    }
}
