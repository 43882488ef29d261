using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Groups;

/// <summary>SQL of groups: the original <c>IMGroup</c>, <c>IMGroupMember</c>, <c>IMGroupMessage_n</c> and <c>IMRecentSession</c> rows, and our read positions and mute flags.</summary>
public sealed class GroupStore(Database database)
{
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
                row = new GroupRow(reader.GetString(0), reader.GetString(1), Columns.Number(reader, 2), Columns.Number(reader, 3), Columns.Number(reader, 4), Columns.Number(reader, 5));
            }
        }

        if (row is null)
        {
            return new GroupSnapshot(null, [], []);
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
                members.Add(new GroupMember(Columns.Number(reader, 0), Columns.Number(reader, 1)));
            }
        }

        var shields = new Dictionary<uint, uint>();
        await using (var query = new MySqlCommand("SELECT userId, shieldStatus FROM TeamTalkGroupShield WHERE groupId = @g", connection))
        {
            query.Parameters.AddWithValue("@g", groupId);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                shields[Columns.Number(reader, 0)] = Columns.Number(reader, 1);
            }
        }

        return new GroupSnapshot(row, [.. members], shields);
    }

    /// <summary>Creates a group of <paramref name="type"/> (1 normal, 2 temporary) with its members (one transaction); returns its id.</summary>
    public async Task<uint> CreateAsync(uint creator, uint type, string name, string avatar, IReadOnlyList<uint> members, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new MySqlCommand(
            "INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES (@name, @avatar, @creator, @type, @count, 0, 1, 0, @now, @now)",
            connection, transaction);
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@avatar", avatar);
        insert.Parameters.AddWithValue("@creator", creator);
        insert.Parameters.AddWithValue("@type", type);
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
        var ids = SqlList.Add(command, "u", userIds);
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
                    version = Columns.Number(reader, 0);
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
            find.CommandText = $"SELECT DISTINCT userId FROM IMRecentSession WHERE userId IN ({SqlList.Add(find, "u", members)}) AND peerId = @g AND type = 2";
            await using var reader = await find.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                existing.Add(Columns.Number(reader, 0));
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
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE IMRecentSession SET status = 0, updated = GREATEST(updated, @t) WHERE userId IN ({SqlList.Add(touch, "e", existing)}) AND peerId = @g AND type = 2;");
        }

        touch.CommandText = sql.ToString();
        await touch.ExecuteNonQueryAsync();
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
            groups.Add(new GroupVersion(Columns.Number(reader, 0), Columns.Number(reader, 1)));
        }

        return [.. groups];
    }

}
