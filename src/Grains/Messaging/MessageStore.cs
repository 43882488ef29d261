using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Data;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Messaging;

/// <summary>What a 1:1 Session loads when it activates.</summary>
public sealed record SessionSnapshot(uint RelateId, uint LastMsgId, ChatMessage? Latest);

/// <summary>SQL of 1:1 messaging outside the committer's batches: loading sessions, history, read positions, recent sessions.</summary>
public sealed class MessageStore(Database database)
{
    private const string MessageColumns = "msgId, fromId, created, type, content";

    /// <summary>True when every id names a user in <c>IMUser</c>.</summary>
    public async Task<bool> UsersExistAsync(uint a, uint b)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new MySqlCommand("SELECT COUNT(DISTINCT id) FROM IMUser WHERE id IN (@a, @b)", connection);
        command.Parameters.AddWithValue("@a", a);
        command.Parameters.AddWithValue("@b", b);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == (a == b ? 1 : 2);
    }

    /// <summary>The pair's relation (0 when none yet), the highest id ever committed, and the newest message.</summary>
    public async Task<SessionSnapshot> LoadAsync(uint small, uint big)
    {
        await using var connection = await database.OpenAsync();
        var relateId = await FindRelationAsync(connection, small, big);
        if (relateId == 0)
        {
            return new SessionSnapshot(0, 0, null);
        }

        await using var watermark = new MySqlCommand(
            $"SELECT GREATEST(COALESCE((SELECT lastMsgId FROM TeamTalkMsgIdWatermark WHERE relateId = @r), 0), COALESCE((SELECT MAX(msgId) FROM {MessageTables.ForRelation(relateId)} WHERE relateId = @r), 0))",
            connection);
        watermark.Parameters.AddWithValue("@r", relateId);
        var last = Convert.ToUInt32(await watermark.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var latest = await ReadMessagesAsync(connection, relateId, "status = 0", [], 1);
        return new SessionSnapshot(relateId, last, latest.Length > 0 ? latest[0] : null);
    }

    /// <summary>
    /// The pair's relation id, creating (or re-activating) the <c>IMRelationShip</c> row. Concurrent creators converge on
    /// the smallest id of the pair.
    /// </summary>
    public async Task<uint> EnsureRelationAsync(uint small, uint big, uint now)
    {
        await using var connection = await database.OpenAsync();
        var relateId = await FindRelationAsync(connection, small, big);
        if (relateId == 0)
        {
            await using var insert = new MySqlCommand(
                "INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES (@s, @b, 0, @now, @now)", connection);
            insert.Parameters.AddWithValue("@s", small);
            insert.Parameters.AddWithValue("@b", big);
            insert.Parameters.AddWithValue("@now", now);
            await insert.ExecuteNonQueryAsync();
            relateId = await FindRelationAsync(connection, small, big);
        }

        await using var activate = new MySqlCommand("UPDATE IMRelationShip SET status = 0, updated = @now WHERE id = @id AND status <> 0", connection);
        activate.Parameters.AddWithValue("@id", relateId);
        activate.Parameters.AddWithValue("@now", now);
        await activate.ExecuteNonQueryAsync();
        return relateId;
    }

    /// <summary>The <c>IMRecentSession</c> rows (type 1) of user → peer and peer → user, inserting missing ones.</summary>
    public async Task<int[]> EnsureRecentSessionsAsync(uint user, uint peer, uint now)
    {
        await using var connection = await database.OpenAsync();
        var ids = new List<int>(2);
        foreach (var (u, p) in new[] { (user, peer), (peer, user) })
        {
            await using var find = new MySqlCommand(
                "SELECT id FROM IMRecentSession WHERE userId = @u AND peerId = @p AND type = 1 ORDER BY status, updated DESC, id LIMIT 1", connection);
            find.Parameters.AddWithValue("@u", u);
            find.Parameters.AddWithValue("@p", p);
            if (await find.ExecuteScalarAsync() is { } found and not DBNull)
            {
                ids.Add(Convert.ToInt32(found, CultureInfo.InvariantCulture));
                continue;
            }

            await using var insert = new MySqlCommand(
                "INSERT INTO IMRecentSession (userId, peerId, type, status, created, updated) VALUES (@u, @p, 1, 0, @now, @now)", connection);
            insert.Parameters.AddWithValue("@u", u);
            insert.Parameters.AddWithValue("@p", p);
            insert.Parameters.AddWithValue("@now", now);
            await insert.ExecuteNonQueryAsync();
            ids.Add((int)insert.LastInsertedId);
        }

        return [.. ids];
    }

    /// <summary>Newest first: messages with id ≤ <paramref name="msgIdBegin"/> (0: all), at most <paramref name="count"/>.</summary>
    public async Task<ChatMessage[]> HistoryAsync(uint relateId, uint msgIdBegin, uint count)
    {
        await using var connection = await database.OpenAsync();
        return msgIdBegin == 0
            ? await ReadMessagesAsync(connection, relateId, "status = 0", [], count)
            : await ReadMessagesAsync(connection, relateId, "status = 0 AND msgId <= @begin", [("@begin", msgIdBegin)], count);
    }

    /// <summary>The messages with the given ids, newest first.</summary>
    public async Task<ChatMessage[]> ByIdsAsync(uint relateId, IReadOnlyList<uint> msgIds)
    {
        if (msgIds.Count == 0)
        {
            return [];
        }

        var filter = new StringBuilder("status = 0 AND msgId IN (");
        var parameters = new List<(string, object)>(msgIds.Count);
        for (var i = 0; i < msgIds.Count; i++)
        {
            filter.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@m{i}");
            parameters.Add(($"@m{i}", msgIds[i]));
        }

        await using var connection = await database.OpenAsync();
        return await ReadMessagesAsync(connection, relateId, filter.Append(')').ToString(), parameters, (uint)msgIds.Count);
    }

    /// <summary>
    /// <paramref name="user"/> has read the conversation with <paramref name="peer"/> up to <paramref name="msgId"/>:
    /// the unread count becomes the number of the peer's messages after it (computed from the rows, so it is right
    /// whatever batches commit around it).
    /// </summary>
    public async Task MarkReadAsync(uint relateId, uint user, uint peer, uint msgId, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var upsert = new MySqlCommand(
            $"""
            INSERT INTO TeamTalkUnread (userId, sessionType, peerId, unreadCount, readMsgId, updated)
            VALUES (@u, 1, @p, (SELECT COUNT(*) FROM {MessageTables.ForRelation(relateId)} WHERE relateId = @r AND fromId = @p AND status = 0 AND msgId > @m), @m, @now)
            ON DUPLICATE KEY UPDATE
                readMsgId = GREATEST(readMsgId, VALUES(readMsgId)),
                unreadCount = (SELECT COUNT(*) FROM {MessageTables.ForRelation(relateId)} WHERE relateId = @r AND fromId = @p AND status = 0 AND msgId > GREATEST(@m, readMsgId)),
                updated = VALUES(updated)
            """, connection);
        upsert.Parameters.AddWithValue("@u", user);
        upsert.Parameters.AddWithValue("@p", peer);
        upsert.Parameters.AddWithValue("@r", relateId);
        upsert.Parameters.AddWithValue("@m", msgId);
        upsert.Parameters.AddWithValue("@now", now);
        await upsert.ExecuteNonQueryAsync();
    }

    /// <summary>The peers whose 1:1 sessions with <paramref name="user"/> hold unread messages, with the counts.</summary>
    public async Task<List<(uint PeerId, uint Count)>> UnreadAsync(uint user)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            "SELECT peerId, unreadCount FROM TeamTalkUnread WHERE userId = @u AND sessionType = 1 AND unreadCount > 0 ORDER BY updated DESC LIMIT 1000", connection);
        query.Parameters.AddWithValue("@u", user);
        var rows = new List<(uint, uint)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetUInt32(0), reader.GetUInt32(1)));
        }

        return rows;
    }

    /// <summary>Active recent sessions of <paramref name="user"/> updated after <paramref name="since"/>, newest first, at most 100.</summary>
    public async Task<List<(uint PeerId, uint Type, uint Updated)>> RecentSessionsAsync(uint user, uint since)
    {
        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand(
            "SELECT peerId, type, updated FROM IMRecentSession WHERE userId = @u AND status = 0 AND updated > @since ORDER BY updated DESC, id DESC LIMIT 100", connection);
        query.Parameters.AddWithValue("@u", user);
        query.Parameters.AddWithValue("@since", since);
        var rows = new List<(uint, uint, uint)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetUInt32(0), Convert.ToUInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetUInt32(2)));
        }

        return rows;
    }

    /// <summary>Removes the user's active session with a peer (status 1) and clears its unread count; false when none was active.</summary>
    public async Task<bool> RemoveSessionAsync(uint user, uint sessionType, uint peer, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var remove = new MySqlCommand(
            "UPDATE IMRecentSession SET status = 1, updated = @now WHERE userId = @u AND peerId = @p AND type = @t AND status = 0", connection, transaction);
        remove.Parameters.AddWithValue("@u", user);
        remove.Parameters.AddWithValue("@p", peer);
        remove.Parameters.AddWithValue("@t", sessionType);
        remove.Parameters.AddWithValue("@now", now);
        var removed = await remove.ExecuteNonQueryAsync() > 0;
        if (removed)
        {
            await using var clear = new MySqlCommand(
                "UPDATE TeamTalkUnread SET unreadCount = 0, updated = @now WHERE userId = @u AND sessionType = @t AND peerId = @p", connection, transaction);
            clear.Parameters.AddWithValue("@u", user);
            clear.Parameters.AddWithValue("@p", peer);
            clear.Parameters.AddWithValue("@t", sessionType);
            clear.Parameters.AddWithValue("@now", now);
            await clear.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return removed;
    }

    private static async Task<uint> FindRelationAsync(MySqlConnection connection, uint small, uint big)
    {
        await using var find = new MySqlCommand("SELECT MIN(id) FROM IMRelationShip WHERE smallId = @s AND bigId = @b", connection);
        find.Parameters.AddWithValue("@s", small);
        find.Parameters.AddWithValue("@b", big);
        return await find.ExecuteScalarAsync() is { } id and not DBNull ? Convert.ToUInt32(id, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// A page of a conversation, newest first. The order (msgId, created, id) is exactly that of the index
    /// (relateId, status, msgId, created) read backwards, so MariaDB reads only the page: with "msgId DESC, id DESC"
    /// it sorted every row up to the page's first id (58 ms instead of 0.4 ms at 50,000 rows).
    /// </summary>
    public static string PageQuery(uint relateId, string filter) =>
        $"SELECT {MessageColumns} FROM {MessageTables.ForRelation(relateId)} WHERE relateId = @r AND {filter} ORDER BY msgId DESC, created DESC, id DESC LIMIT @limit";

    private static Task<ChatMessage[]> ReadMessagesAsync(
        MySqlConnection connection, uint relateId, string filter, IReadOnlyList<(string Name, object Value)> parameters, uint limit) =>
        MessageRows.ReadAsync(connection, PageQuery(relateId, filter), [("@r", relateId), ("@limit", limit), .. parameters]);
}
