using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// 1:1 unread counters from <c>unread_&lt;uid&gt;</c>. We keep a read position and count from it, so a counter of
/// <c>n</c> becomes the position just before the peer's n-th newest message (<c>readMsgId</c> = that id − 1): exactly
/// the peer's n newest messages are unread, whatever the user sent in between. Fewer messages than n: all of them.
/// A pair the original had no counter for (read, the field deleted) while our table counts unread messages is marked
/// read up to its newest message. Redis is followed; differences from existing rows are reported.
/// </summary>
internal static class UnreadImport
{
    public const string Kind = "unread";

    public static async Task ApplyAsync(MySqlConnection connection, IReadOnlyList<ImportedUnread> counters, ImportContext context, CancellationToken ct)
    {
        foreach (var counter in counters.OrderBy(c => c.UserId).ThenBy(c => c.PeerId))
        {
            if (!context.Users.Contains(counter.UserId) || !context.Users.Contains(counter.PeerId))
            {
                context.Report.Skipped(Kind, $"user {counter.UserId} peer {counter.PeerId}: not both IMUser rows");
                continue;
            }

            await ApplyOneAsync(connection, counter, context, ct);
        }

        var counted = counters.Select(c => (c.UserId, c.PeerId)).ToHashSet();
        var stale = new List<(uint User, uint Peer)>();
        await using (var query = new MySqlCommand("SELECT userId, peerId FROM TeamTalkUnread WHERE sessionType = 1 AND unreadCount > 0 ORDER BY userId, peerId", connection))
        await using (var reader = await query.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var row = (Columns.Number(reader, 0), Columns.Number(reader, 1));
                if (!counted.Contains(row))
                {
                    stale.Add(row);
                }
            }
        }

        foreach (var (user, peer) in stale)
        {
            context.Report.Disagreed(Kind, $"user {user} peer {peer}: unread in TeamTalkUnread, none in Redis: marked read");
            await ApplyOneAsync(connection, new ImportedUnread(user, peer, 0), context, ct);
        }
    }

    private static async Task ApplyOneAsync(MySqlConnection connection, ImportedUnread counter, ImportContext context, CancellationToken ct)
    {
        var (user, peer) = (counter.UserId, counter.PeerId);
        var relation = await ImportSql.NumberAsync(connection, null,
            "SELECT MIN(id) FROM IMRelationShip WHERE smallId = LEAST(@u, @p) AND bigId = GREATEST(@u, @p)", ct, ("@u", user), ("@p", peer));
        if (relation is not { } r)
        {
            context.Report.Skipped(Kind, $"user {user} peer {peer}: no IMRelationShip row (no messages)");
            return;
        }

        var table = MessageTable.ForRelation(r).Name;
        uint position;
        if (counter.Count == 0)
        {
            position = await ImportSql.NumberAsync(connection, null, $"SELECT COALESCE(MAX(msgId), 0) FROM {table} WHERE relateId = @r", ct, ("@r", r)) ?? 0;
        }
        else
        {
            var oldestUnread = await ImportSql.NumberAsync(connection, null,
                $"SELECT msgId FROM {table} WHERE relateId = @r AND fromId = @p AND status = 0 ORDER BY msgId DESC LIMIT 1 OFFSET @k", ct,
                ("@r", r), ("@p", peer), ("@k", (long)counter.Count - 1));
            position = oldestUnread is { } id ? id - 1 : 0;
        }

        var unread = await ImportSql.NumberAsync(connection, null,
            $"SELECT COUNT(*) FROM {table} WHERE relateId = @r AND fromId = @p AND status = 0 AND msgId > @m", ct, ("@r", r), ("@p", peer), ("@m", position)) ?? 0;
        if (unread != counter.Count)
        {
            context.Report.Disagreed(Kind, $"user {user} peer {peer}: Redis counts {counter.Count} unread, {unread} messages of the peer exist: {unread} kept");
        }

        uint? oursCount = null, oursPosition = null;
        await using (var query = new MySqlCommand("SELECT unreadCount, readMsgId FROM TeamTalkUnread WHERE userId = @u AND sessionType = 1 AND peerId = @p", connection))
        {
            query.Parameters.AddWithValue("@u", user);
            query.Parameters.AddWithValue("@p", peer);
            await using var reader = await query.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                (oursCount, oursPosition) = (Columns.Number(reader, 0), Columns.Number(reader, 1));
            }
        }

        if (oursCount == unread && oursPosition == position)
        {
            context.Report.Unchanged(Kind);
            return;
        }

        if (oursCount is { } count && count != unread)
        {
            context.Report.Disagreed(Kind, $"user {user} peer {peer}: {count} unread in TeamTalkUnread, {unread} from Redis: Redis kept");
        }

        await ImportSql.ExecuteAsync(connection, null,
            """
            INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES (@u, 1, @p, @n, @m, @now)
            ON DUPLICATE KEY UPDATE unreadCount = VALUES(unreadCount), readMsgId = VALUES(readMsgId), updated = VALUES(updated)
            """, ct, ("@u", user), ("@p", peer), ("@n", unread), ("@m", position), ("@now", context.Now));
        context.Report.Changed(Kind);
    }
}
