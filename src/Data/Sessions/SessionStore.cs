using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Sessions;

/// <summary>
/// SQL of a user's sessions: the original <c>IMRecentSession</c> rows, and our <c>TeamTalkUnread</c> rows (1:1 unread
/// counts, read positions of both kinds).
/// </summary>
public sealed class SessionStore(Database database)
{
    /// <summary>How many unread 1:1 sessions and how many group memberships a user's unread list looks at (the newest).</summary>
    private const int ListLimit = 1000;

    /// <summary>Group counts per statement (a user's whole list fits in one).</summary>
    private const int CountsPerStatement = ListLimit;
    /// <summary>
    /// Active 1:1 and group sessions of <paramref name="user"/> updated after <paramref name="since"/>, newest first, at
    /// most 100 (sessions with itself left out), with each pair's relation id and each group's join time.
    /// </summary>
    public async Task<List<SessionRow>> RecentAsync(uint user, uint since)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            """
            SELECT s.peerId, s.type, s.updated,
                   CASE WHEN s.type = 1 THEN (SELECT MIN(r.id) FROM IMRelationShip r WHERE r.smallId = LEAST(s.userId, s.peerId) AND r.bigId = GREATEST(s.userId, s.peerId)) END,
                   CASE WHEN s.type = 2 THEN (SELECT MAX(m.updated) FROM IMGroupMember m WHERE m.groupId = s.peerId AND m.userId = s.userId AND m.status = 0) END
            FROM IMRecentSession s
            WHERE s.userId = @u AND s.status = 0 AND s.updated > @since AND (s.type = 2 OR (s.type = 1 AND s.peerId <> s.userId))
            ORDER BY s.updated DESC, s.id DESC LIMIT 100
            """,
            connection);
        query.Parameters.AddWithValue("@u", user);
        query.Parameters.AddWithValue("@since", since);
        var rows = new List<SessionRow>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new SessionRow(
                Columns.Number(reader, 0),
                (SessionType)Columns.Number(reader, 1),
                Columns.Number(reader, 2),
                reader.IsDBNull(3) ? 0 : Columns.Number(reader, 3),
                reader.IsDBNull(4) ? null : Columns.Number(reader, 4)));
        }

        return rows;
    }

    /// <summary>The 1:1 sessions of <paramref name="user"/> with unread messages, most recently changed first, at most <see cref="ListLimit"/>.</summary>
    public async Task<List<SingleUnread>> SingleUnreadAsync(uint user)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            """
            SELECT u.peerId, u.unreadCount,
                   (SELECT MIN(r.id) FROM IMRelationShip r WHERE r.smallId = LEAST(u.userId, u.peerId) AND r.bigId = GREATEST(u.userId, u.peerId))
            FROM TeamTalkUnread u
            WHERE u.userId = @u AND u.sessionType = 1 AND u.unreadCount > 0 AND u.peerId <> u.userId
            ORDER BY u.updated DESC LIMIT @limit
            """,
            connection);
        query.Parameters.AddWithValue("@u", user);
        query.Parameters.AddWithValue("@limit", ListLimit);
        var rows = new List<SingleUnread>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new SingleUnread(Columns.Number(reader, 0), Columns.Number(reader, 1), reader.IsDBNull(2) ? 0 : Columns.Number(reader, 2)));
        }

        return rows;
    }

    /// <summary>Every group <paramref name="user"/> is a member of (newest membership first, at most <see cref="ListLimit"/>), with its join time and read position.</summary>
    public async Task<List<GroupPosition>> GroupPositionsAsync(uint user)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            """
            SELECT m.groupId, m.joined, u.readMsgId
            FROM (SELECT groupId, MAX(updated) AS joined FROM IMGroupMember WHERE userId = @u AND status = 0 GROUP BY groupId) AS m
            LEFT JOIN TeamTalkUnread u ON u.userId = @u AND u.sessionType = 2 AND u.peerId = m.groupId
            ORDER BY m.joined DESC, m.groupId DESC LIMIT @limit
            """,
            connection);
        query.Parameters.AddWithValue("@u", user);
        query.Parameters.AddWithValue("@limit", ListLimit);
        var rows = new List<GroupPosition>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new GroupPosition(Columns.Number(reader, 0), Columns.Number(reader, 1), reader.IsDBNull(2) ? null : Columns.Number(reader, 2)));
        }

        return rows;
    }

    /// <summary>
    /// Each group's messages after the read position (all since joining when none was recorded) created at or after the
    /// join time, counted up to <paramref name="cap"/> from the index, in one statement; groups with none are absent.
    /// </summary>
    public async Task<Dictionary<uint, uint>> GroupUnreadCountsAsync(IReadOnlyCollection<GroupPosition> groups, int cap)
    {
        var counts = new Dictionary<uint, uint>();
        var positions = groups as IReadOnlyList<GroupPosition> ?? [.. groups];
        foreach (var (index, count) in await CountGroupUnreadAsync(positions, cap))
        {
            counts[positions[index].GroupId] = count;
        }

        return counts;
    }

    /// <summary>
    /// The unread total of each of <paramref name="users"/> (the push badge): the sum of what <c>GetUnreadAsync</c>
    /// lists for the user, from the same rows and limits as <see cref="SingleUnreadAsync"/>, <see cref="GroupPositionsAsync"/>
    /// and <see cref="GroupUnreadCountsAsync"/> (its newest <see cref="ListLimit"/> unread 1:1 sessions, of peers it
    /// has a relation with; each of its newest <see cref="ListLimit"/> groups' messages after its read position and
    /// since joining, up to <paramref name="groupCap"/> per group). One round trip for the 1:1 counts and group
    /// positions of every user, then the group counts when any of them is in a group (one statement per
    /// <see cref="CountsPerStatement"/> memberships); users without unread messages are absent.
    /// </summary>
    public async Task<Dictionary<uint, uint>> UnreadTotalsAsync(IReadOnlyCollection<uint> users, int groupCap)
    {
        var totals = new Dictionary<uint, uint>();
        if (users.Count == 0)
        {
            return totals;
        }

        var owners = new List<uint>();
        var positions = new List<GroupPosition>();
        await using (var connection = await database.OpenAsync())
        {
            await using var query = new MySqlCommand { Connection = connection };
            var ids = SqlList.Add(query, "u", users);
            query.Parameters.AddWithValue("@limit", ListLimit);
            query.CommandText = $"""
                SELECT t.userId, SUM(t.unreadCount)
                FROM (SELECT u.userId, u.peerId, u.unreadCount, ROW_NUMBER() OVER (PARTITION BY u.userId ORDER BY u.updated DESC) AS n
                      FROM TeamTalkUnread u
                      WHERE u.userId IN ({ids}) AND u.sessionType = 1 AND u.unreadCount > 0 AND u.peerId <> u.userId) AS t
                WHERE t.n <= @limit
                  AND EXISTS (SELECT 1 FROM IMRelationShip r WHERE r.smallId = LEAST(t.userId, t.peerId) AND r.bigId = GREATEST(t.userId, t.peerId))
                GROUP BY t.userId;
                SELECT p.userId, p.groupId, p.joined, u.readMsgId
                FROM (SELECT m.userId, m.groupId, m.joined, ROW_NUMBER() OVER (PARTITION BY m.userId ORDER BY m.joined DESC, m.groupId DESC) AS n
                      FROM (SELECT userId, groupId, MAX(updated) AS joined FROM IMGroupMember WHERE userId IN ({ids}) AND status = 0 GROUP BY userId, groupId) AS m) AS p
                LEFT JOIN TeamTalkUnread u ON u.userId = p.userId AND u.sessionType = 2 AND u.peerId = p.groupId
                WHERE p.n <= @limit;
                """;
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                totals[Columns.Number(reader, 0)] = (uint)Math.Min(uint.MaxValue, reader.GetDecimal(1));
            }

            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                owners.Add(Columns.Number(reader, 0));
                positions.Add(new GroupPosition(Columns.Number(reader, 1), Columns.Number(reader, 2), reader.IsDBNull(3) ? null : Columns.Number(reader, 3)));
            }
        }

        foreach (var (index, count) in await CountGroupUnreadAsync(positions, groupCap))
        {
            var user = owners[index];
            totals[user] = (uint)Math.Min(uint.MaxValue, (ulong)totals.GetValueOrDefault(user) + count);
        }

        return totals;
    }

    /// <summary>
    /// The unread count of each position of <paramref name="groups"/> that has any (index in the list → count): one
    /// statement per <see cref="CountsPerStatement"/> positions, on one connection.
    /// </summary>
    private async Task<List<(int Index, uint Count)>> CountGroupUnreadAsync(IReadOnlyList<GroupPosition> groups, int cap)
    {
        var counts = new List<(int, uint)>();
        if (groups.Count == 0)
        {
            return counts;
        }

        await using var connection = await database.OpenAsync();
        for (var start = 0; start < groups.Count; start += CountsPerStatement)
        {
            await using var command = new MySqlCommand { Connection = connection };
            command.Parameters.AddWithValue("@cap", cap);
            var sql = new StringBuilder();
            for (var i = start; i < Math.Min(groups.Count, start + CountsPerStatement); i++)
            {
                var group = groups[i];
                var (g, after, since) = (Name("g", i), Name("a", i), Name("s", i));
                command.Parameters.AddWithValue(g, group.GroupId);
                command.Parameters.AddWithValue(after, group.ReadMsgId ?? 0);
                command.Parameters.AddWithValue(since, group.Joined);
                var table = MessageTable.ForGroup(group.GroupId);
                sql.Append(i == start ? string.Empty : " UNION ALL ")
                    .Append(CultureInfo.InvariantCulture, $"SELECT {i}, COUNT(*) FROM (SELECT 1 FROM {table.Name} WHERE groupId = {g} AND msgId > {after} AND status = 0 AND created >= {since} LIMIT @cap) AS t{i}");
            }

            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (Columns.Number(reader, 1) is var count and > 0)
                {
                    counts.Add(((int)Columns.Number(reader, 0), count));
                }
            }
        }

        return counts;
    }

    /// <summary>
    /// <paramref name="user"/> has read the session <paramref name="sessionId"/> (the peer, or the group) whose messages
    /// are conversation <paramref name="conversationId"/> (the relation id, or the group) up to <paramref name="msgId"/>,
    /// but never past the newest committed message; positions only move forward. A 1:1 unread count becomes the number
    /// of the peer's messages after the position (computed from the rows, so it is right whatever batches commit around
    /// it). Returns the position read up to, or null when the user is not a member of the group.
    /// </summary>
    public async Task<uint?> MarkReadAsync(SessionType type, uint conversationId, uint user, uint sessionId, uint msgId, uint now)
    {
        var table = MessageTable.For(type == SessionType.Group ? ConversationKind.Group : ConversationKind.Pair, conversationId);
        await using var connection = await database.OpenAsync();
        await using var state = new MySqlCommand(
            type == SessionType.Group
                ? $"SELECT COALESCE(MAX(msgId), 0), EXISTS (SELECT 1 FROM IMGroupMember WHERE groupId = @c AND userId = @u AND status = 0) FROM {table.Name} WHERE groupId = @c"
                : $"SELECT COALESCE(MAX(msgId), 0), 1 FROM {table.Name} WHERE relateId = @c",
            connection);
        state.Parameters.AddWithValue("@c", conversationId);
        state.Parameters.AddWithValue("@u", user);
        uint newest;
        await using (var reader = await state.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            newest = Columns.Number(reader, 0);
            if (Columns.Number(reader, 1) == 0)
            {
                return null;
            }
        }

        var position = Math.Min(msgId, newest);
        await using var upsert = new MySqlCommand(
            type == SessionType.Group
                ? """
                  INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES (@u, 2, @s, 0, @m, @now)
                  ON DUPLICATE KEY UPDATE readMsgId = GREATEST(readMsgId, VALUES(readMsgId)), updated = VALUES(updated)
                  """
                : $"""
                   INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated)
                   VALUES (@u, 1, @s, (SELECT COUNT(*) FROM {table.Name} WHERE relateId = @c AND fromId = @s AND status = 0 AND msgId > @m), @m, @now)
                   ON DUPLICATE KEY UPDATE
                       readMsgId = GREATEST(readMsgId, VALUES(readMsgId)),
                       unreadCount = (SELECT COUNT(*) FROM {table.Name} WHERE relateId = @c AND fromId = @s AND status = 0 AND msgId > GREATEST(@m, readMsgId)),
                       updated = VALUES(updated)
                   """,
            connection);
        upsert.Parameters.AddWithValue("@u", user);
        upsert.Parameters.AddWithValue("@s", sessionId);
        upsert.Parameters.AddWithValue("@c", conversationId);
        upsert.Parameters.AddWithValue("@m", position);
        upsert.Parameters.AddWithValue("@now", now);
        await upsert.ExecuteNonQueryAsync();
        return position;
    }

    /// <summary>Removes the user's active session (status 1) and clears its unread count; false when none was active.</summary>
    public async Task<bool> RemoveAsync(uint user, SessionType type, uint sessionId, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var remove = new MySqlCommand(
            "UPDATE IMRecentSession SET status = 1, updated = @now WHERE userId = @u AND peerId = @p AND type = @t AND status = 0", connection, transaction);
        remove.Parameters.AddWithValue("@u", user);
        remove.Parameters.AddWithValue("@p", sessionId);
        remove.Parameters.AddWithValue("@t", (uint)type);
        remove.Parameters.AddWithValue("@now", now);
        var removed = await remove.ExecuteNonQueryAsync() > 0;
        if (removed)
        {
            await using var clear = new MySqlCommand(
                "UPDATE TeamTalkUnread SET unreadCount = 0, updated = @now WHERE userId = @u AND sessionType = @t AND peerId = @p", connection, transaction);
            clear.Parameters.AddWithValue("@u", user);
            clear.Parameters.AddWithValue("@p", sessionId);
            clear.Parameters.AddWithValue("@t", (uint)type);
            clear.Parameters.AddWithValue("@now", now);
            await clear.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return removed;
    }

    private static string Name(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"@{prefix}{i}");
}
