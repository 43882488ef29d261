using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Data;
using TeamTalk.Orleans.Grains.Messaging;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Groups;

/// <summary>An <c>IMGroup</c> row as a Group grain holds it.</summary>
public sealed record GroupRow(string Name, string Avatar, uint Creator, uint Type, uint Version, uint Updated);

/// <summary>A member and the time it joined (<c>IMGroupMember.updated</c> of its active row: set on insert and on re-joining).</summary>
public readonly record struct GroupMember(uint UserId, uint Joined);

/// <summary>What a Group grain loads when it activates. <see cref="Row"/> is null when there is no such group.</summary>
public sealed record GroupSnapshot(GroupRow? Row, GroupMember[] Members, Dictionary<uint, uint> Shields, uint LastMsgId, ChatMessage? Latest);

/// <summary>SQL of groups: the original <c>IMGroup</c>, <c>IMGroupMember</c>, <c>IMGroupMessage_n</c> and <c>IMRecentSession</c> rows, and our read positions and mute flags.</summary>
public sealed class GroupStore(Database database)
{
    private const uint GroupSession = 2;

    public async Task<GroupSnapshot> LoadAsync(uint groupId)
    {
        await using var connection = await database.OpenAsync();
        GroupRow? row = null;
        await using (var find = new MySqlCommand("SELECT name, avatar, creator, type, version, updated FROM IMGroup WHERE id = @g", connection))
        {
            find.Parameters.AddWithValue("@g", groupId);
            await using var reader = await find.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                row = new GroupRow(reader.GetString(0), reader.GetString(1), UInt(reader, 2), UInt(reader, 3), UInt(reader, 4), UInt(reader, 5));
            }
        }

        if (row is null)
        {
            return new GroupSnapshot(null, [], [], 0, null);
        }

        // Join order (the original answers members in the order they were added); one entry per user even where an
        // old database holds duplicate membership rows.
        var members = new List<GroupMember>();
        await using (var query = new MySqlCommand(
                         "SELECT userId, MAX(updated) AS joined, MIN(id) AS first FROM IMGroupMember WHERE groupId = @g AND status = 0 GROUP BY userId ORDER BY first",
                         connection))
        {
            query.Parameters.AddWithValue("@g", groupId);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                members.Add(new GroupMember(UInt(reader, 0), UInt(reader, 1)));
            }
        }

        var shields = new Dictionary<uint, uint>();
        await using (var query = new MySqlCommand("SELECT userId, shieldStatus FROM TeamTalkGroupShield WHERE groupId = @g", connection))
        {
            query.Parameters.AddWithValue("@g", groupId);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                shields[UInt(reader, 0)] = UInt(reader, 1);
            }
        }

        await using var watermark = new MySqlCommand(
            $"SELECT GREATEST(COALESCE((SELECT lastMsgId FROM TeamTalkGroupMsgIdWatermark WHERE groupId = @g), 0), COALESCE((SELECT MAX(msgId) FROM {MessageTables.ForGroup(groupId)} WHERE groupId = @g), 0))",
            connection);
        watermark.Parameters.AddWithValue("@g", groupId);
        var last = Convert.ToUInt32(await watermark.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var latest = await ReadMessagesAsync(connection, groupId, "status = 0", [], 1);
        return new GroupSnapshot(row, [.. members], shields, last, latest.Length > 0 ? latest[0] : null);
    }

    /// <summary>Those of <paramref name="userIds"/> that name a user in <c>IMUser</c>.</summary>
    public async Task<HashSet<uint>> ExistingUsersAsync(IReadOnlyCollection<uint> userIds)
    {
        var found = new HashSet<uint>();
        if (userIds.Count == 0)
        {
            return found;
        }

        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand { Connection = connection };
        query.CommandText = $"SELECT id FROM IMUser WHERE id IN ({InList(query, "u", userIds)})";
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(UInt(reader, 0));
        }

        return found;
    }

    /// <summary>Creates a temporary group with its members (one transaction); returns its id.</summary>
    public async Task<uint> CreateAsync(uint creator, string name, string avatar, IReadOnlyList<uint> members, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new MySqlCommand(
            "INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES (@name, @avatar, @creator, 2, @count, 0, 1, 0, @now, @now)",
            connection, transaction);
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@avatar", avatar);
        insert.Parameters.AddWithValue("@creator", creator);
        insert.Parameters.AddWithValue("@count", members.Count);
        insert.Parameters.AddWithValue("@now", now);
        await insert.ExecuteNonQueryAsync();
        var groupId = (uint)insert.LastInsertedId;

        await using var rows = new MySqlCommand { Connection = connection, Transaction = transaction };
        rows.Parameters.AddWithValue("@g", groupId);
        rows.Parameters.AddWithValue("@now", now);
        var sql = new StringBuilder("INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES ");
        var positions = new StringBuilder("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES ");
        for (var i = 0; i < members.Count; i++)
        {
            var p = string.Create(CultureInfo.InvariantCulture, $"@u{i}");
            rows.Parameters.AddWithValue(p, members[i]);
            sql.Append(i == 0 ? string.Empty : ",").Append('(').Append("@g,").Append(p).Append(",0,@now,@now)");
            positions.Append(i == 0 ? string.Empty : ",").Append('(').Append(p).Append(",2,@g,0,0,@now)");
        }

        positions.Append(" ON DUPLICATE KEY UPDATE readMsgId = 0, unreadCount = 0, updated = VALUES(updated)");
        rows.CommandText = sql.Append(';').Append(positions).ToString();
        await rows.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return groupId;
    }

    /// <summary>
    /// Adds members (re-activating their old rows or inserting new ones; their read position starts at
    /// <paramref name="position"/>) or removes them (rows to status 1, their group session removed), sets
    /// <c>userCnt</c>, bumps the version. One transaction; returns the new version.
    /// </summary>
    public async Task<uint> ChangeMembersAsync(uint groupId, GroupChangeType type, IReadOnlyCollection<uint> userIds, int memberCount, uint position, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        command.Parameters.AddWithValue("@g", groupId);
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@count", memberCount);
        var ids = InList(command, "u", userIds);
        var sql = new StringBuilder();
        if (type == GroupChangeType.Add)
        {
            command.Parameters.AddWithValue("@position", position);
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE IMGroupMember SET status = 0, updated = @now WHERE groupId = @g AND userId IN ({ids});");
            sql.Append("INSERT INTO IMGroupMember (groupId, userId, status, created, updated) SELECT @g, u.id, 0, @now, @now FROM IMUser u WHERE u.id IN (")
                .Append(ids).Append(") AND NOT EXISTS (SELECT 1 FROM IMGroupMember m WHERE m.groupId = @g AND m.userId = u.id);");
            sql.Append("INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) SELECT id, 2, @g, 0, @position, @now FROM IMUser WHERE id IN (")
                .Append(ids).Append(") ON DUPLICATE KEY UPDATE readMsgId = VALUES(readMsgId), unreadCount = 0, updated = VALUES(updated);");
        }
        else
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE IMGroupMember SET status = 1, updated = @now WHERE groupId = @g AND userId IN ({ids}) AND status = 0;");
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE IMRecentSession SET status = 1, updated = @now WHERE userId IN ({ids}) AND peerId = @g AND type = 2 AND status = 0;");
        }

        sql.Append("UPDATE IMGroup SET version = version + 1, userCnt = @count, updated = @now WHERE id = @g;");
        sql.Append("SELECT version FROM IMGroup WHERE id = @g;");
        command.CommandText = sql.ToString();
        uint version = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            do
            {
                if (reader.FieldCount == 1 && await reader.ReadAsync())
                {
                    version = UInt(reader, 0);
                }
            }
            while (await reader.NextResultAsync());
        }

        await transaction.CommitAsync();
        return version;
    }

    public async Task SetShieldAsync(uint groupId, uint userId, uint status, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var upsert = new MySqlCommand(
            "INSERT INTO TeamTalkGroupShield (groupId, userId, shieldStatus, updated) VALUES (@g, @u, @s, @now) ON DUPLICATE KEY UPDATE shieldStatus = VALUES(shieldStatus), updated = VALUES(updated)",
            connection);
        upsert.Parameters.AddWithValue("@g", groupId);
        upsert.Parameters.AddWithValue("@u", userId);
        upsert.Parameters.AddWithValue("@s", status);
        upsert.Parameters.AddWithValue("@now", now);
        await upsert.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The group's latest message time goes to <c>IMGroup.lastChated</c> and to every member's group session, which is
    /// created where missing and re-activated where removed (a new message brings a removed session back, as in 1:1).
    /// </summary>
    public async Task TouchSessionsAsync(uint groupId, IReadOnlyCollection<uint> members, uint lastChated)
    {
        if (members.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync();
        var existing = new HashSet<uint>();
        await using (var find = new MySqlCommand { Connection = connection })
        {
            find.Parameters.AddWithValue("@g", groupId);
            find.CommandText = $"SELECT DISTINCT userId FROM IMRecentSession WHERE userId IN ({InList(find, "u", members)}) AND peerId = @g AND type = 2";
            await using var reader = await find.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                existing.Add(UInt(reader, 0));
            }
        }

        await using var touch = new MySqlCommand { Connection = connection };
        touch.Parameters.AddWithValue("@g", groupId);
        touch.Parameters.AddWithValue("@t", lastChated);
        var sql = new StringBuilder("UPDATE IMGroup SET lastChated = @t WHERE id = @g;");
        var missing = members.Where(m => !existing.Contains(m)).ToList();
        if (missing.Count > 0)
        {
            sql.Append("INSERT INTO IMRecentSession (userId, peerId, type, status, created, updated) VALUES ");
            for (var i = 0; i < missing.Count; i++)
            {
                var p = string.Create(CultureInfo.InvariantCulture, $"@n{i}");
                touch.Parameters.AddWithValue(p, missing[i]);
                sql.Append(i == 0 ? "(" : ",(").Append(p).Append(",@g,2,0,@t,@t)");
            }

            sql.Append(';');
        }

        if (existing.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE IMRecentSession SET status = 0, updated = GREATEST(updated, @t) WHERE userId IN ({InList(touch, "e", existing)}) AND peerId = @g AND type = 2;");
        }

        touch.CommandText = sql.ToString();
        await touch.ExecuteNonQueryAsync();
    }

    /// <summary>A member has read the group up to <paramref name="msgId"/> (positions only move forward).</summary>
    public async Task MarkReadAsync(uint groupId, uint userId, uint msgId, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var upsert = new MySqlCommand(
            "INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated) VALUES (@u, 2, @g, 0, @m, @now) ON DUPLICATE KEY UPDATE readMsgId = GREATEST(readMsgId, VALUES(readMsgId)), updated = VALUES(updated)",
            connection);
        upsert.Parameters.AddWithValue("@u", userId);
        upsert.Parameters.AddWithValue("@g", groupId);
        upsert.Parameters.AddWithValue("@m", msgId);
        upsert.Parameters.AddWithValue("@now", now);
        await upsert.ExecuteNonQueryAsync();
    }

    /// <summary>Messages after <paramref name="afterMsgId"/> created at or after <paramref name="since"/>, counted up to <paramref name="cap"/> (an index range, no row read).</summary>
    public async Task<uint> CountAfterAsync(uint groupId, uint afterMsgId, uint since, int cap)
    {
        await using var connection = await database.OpenAsync();
        await using var count = new MySqlCommand(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM {MessageTables.ForGroup(groupId)} WHERE groupId = @g AND msgId > @m AND status = 0 AND created >= @since LIMIT @cap) AS unread",
            connection);
        count.Parameters.AddWithValue("@g", groupId);
        count.Parameters.AddWithValue("@m", afterMsgId);
        count.Parameters.AddWithValue("@since", since);
        count.Parameters.AddWithValue("@cap", cap);
        return Convert.ToUInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Newest first: messages with id ≤ <paramref name="msgIdBegin"/> (0: all) created at or after <paramref name="since"/>, at most <paramref name="count"/>.</summary>
    public async Task<ChatMessage[]> HistoryAsync(uint groupId, uint msgIdBegin, uint count, uint since)
    {
        await using var connection = await database.OpenAsync();
        return msgIdBegin == 0
            ? await ReadMessagesAsync(connection, groupId, "status = 0 AND created >= @since", [("@since", since)], count)
            : await ReadMessagesAsync(connection, groupId, "msgId <= @begin AND status = 0 AND created >= @since", [("@begin", msgIdBegin), ("@since", since)], count);
    }

    /// <summary>The messages with the given ids created at or after <paramref name="since"/>, newest first.</summary>
    public async Task<ChatMessage[]> ByIdsAsync(uint groupId, IReadOnlyList<uint> msgIds, uint since)
    {
        if (msgIds.Count == 0)
        {
            return [];
        }

        var filter = new StringBuilder("msgId IN (");
        var parameters = new List<(string, object)>(msgIds.Count + 1) { ("@since", since) };
        for (var i = 0; i < msgIds.Count; i++)
        {
            filter.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@m{i}");
            parameters.Add(($"@m{i}", msgIds[i]));
        }

        await using var connection = await database.OpenAsync();
        return await ReadMessagesAsync(connection, groupId, filter.Append(") AND status = 0 AND created >= @since").ToString(), parameters, (uint)msgIds.Count);
    }

    /// <summary>Normal groups (type 1) the user is a member of, with their versions, most recently updated first.</summary>
    public async Task<GroupVersion[]> NormalGroupsAsync(uint userId)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            "SELECT g.id, g.version FROM IMGroup g WHERE g.type = 1 AND EXISTS (SELECT 1 FROM IMGroupMember m WHERE m.groupId = g.id AND m.userId = @u AND m.status = 0) ORDER BY g.updated DESC, g.id DESC LIMIT 1000",
            connection);
        query.Parameters.AddWithValue("@u", userId);
        var groups = new List<GroupVersion>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            groups.Add(new GroupVersion(UInt(reader, 0), UInt(reader, 1)));
        }

        return [.. groups];
    }

    /// <summary>Every group the user is a member of (newest membership first), with the user's read position.</summary>
    public async Task<GroupReadPosition[]> MembershipsAsync(uint userId)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            """
            SELECT m.groupId, u.readMsgId
            FROM (SELECT groupId, MAX(updated) AS joined FROM IMGroupMember WHERE userId = @u AND status = 0 GROUP BY groupId) AS m
            LEFT JOIN TeamTalkUnread u ON u.userId = @u AND u.sessionType = 2 AND u.peerId = m.groupId
            ORDER BY m.joined DESC, m.groupId DESC LIMIT 1000
            """,
            connection);
        query.Parameters.AddWithValue("@u", userId);
        var groups = new List<GroupReadPosition>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var known = !reader.IsDBNull(1);
            groups.Add(new GroupReadPosition(UInt(reader, 0), known ? UInt(reader, 1) : 0, known));
        }

        return [.. groups];
    }

    /// <summary>
    /// A page of a group's messages, newest first, in the order of the index (groupId, msgId, status, created) read
    /// backwards (status is fixed by the filter), so MariaDB reads only the page.
    /// </summary>
    public static string PageQuery(uint groupId, string filter) =>
        $"SELECT msgId, userId, created, type, content FROM {MessageTables.ForGroup(groupId)} WHERE groupId = @g AND {filter} ORDER BY msgId DESC, status DESC, created DESC, id DESC LIMIT @limit";

    private static Task<ChatMessage[]> ReadMessagesAsync(
        MySqlConnection connection, uint groupId, string filter, IReadOnlyList<(string Name, object Value)> parameters, uint limit) =>
        MessageRows.ReadAsync(connection, PageQuery(groupId, filter), [("@g", groupId), ("@limit", limit), .. parameters]);

    /// <summary>Adds one parameter per id (@{prefix}0, …) and returns the comma-separated names.</summary>
    private static string InList(MySqlCommand command, string prefix, IEnumerable<uint> ids)
    {
        var names = new StringBuilder();
        var i = 0;
        foreach (var id in ids)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@{prefix}{i++}");
            command.Parameters.AddWithValue(name, id);
            names.Append(names.Length == 0 ? string.Empty : ",").Append(name);
        }

        return names.ToString();
    }

    private static uint UInt(MySqlDataReader reader, int ordinal) => Convert.ToUInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
