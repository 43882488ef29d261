using System.Globalization;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Relations;

/// <summary>
/// SQL of relations (user pairs): the <c>IMRelationShip</c> row whose id names the pair's conversation, and the pair's
/// two <c>IMRecentSession</c> rows that its messages bump.
/// </summary>
public sealed class RelationStore(Database database)
{
    /// <summary>The pair's relation id (the smallest <c>IMRelationShip</c> id of the pair), 0 when none exists yet.</summary>
    public async Task<uint> FindAsync(uint small, uint big)
    {
        await using var connection = await database.OpenAsync();
        return await FindRelationAsync(connection, small, big);
    }

    /// <summary>
    /// The pair's relation id, creating (or re-activating) the <c>IMRelationShip</c> row. Creation runs under a named lock
    /// of the pair (<c>GET_LOCK</c>; the original table has no unique key on the pair), so concurrent creators (two
    /// activations of the pair's grain for a moment) make one row and get the same id: two ids would be two conversations
    /// with their own message ids.
    /// </summary>
    public async Task<uint> EnsureRelationAsync(uint small, uint big, uint now)
    {
        await using var connection = await database.OpenAsync();
        var relateId = await FindRelationAsync(connection, small, big);
        if (relateId == 0)
        {
            relateId = await CreateRelationAsync(connection, small, big, now);
        }

        await using var activate = new MySqlCommand("UPDATE IMRelationShip SET status = 0, updated = @now WHERE id = @id AND status <> 0", connection);
        activate.Parameters.AddWithValue("@id", relateId);
        activate.Parameters.AddWithValue("@now", now);
        await activate.ExecuteNonQueryAsync();
        return relateId;
    }

    /// <summary>Under the pair's named lock: finds the pair's row again, inserts it when still missing.</summary>
    private static async Task<uint> CreateRelationAsync(MySqlConnection connection, uint small, uint big, uint now)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"teamtalk.relation.{small}.{big}");
        await using (var take = new MySqlCommand("SELECT GET_LOCK(@name, 10)", connection))
        {
            take.Parameters.AddWithValue("@name", name);
            var granted = await take.ExecuteScalarAsync();
            if (granted is null or DBNull || Convert.ToInt64(granted, CultureInfo.InvariantCulture) != 1)
            {
                // 0: not within 10 s; NULL: an error on the server.
                throw new TimeoutException($"the lock creating the relation of users {small} and {big} was not granted within 10 s");
            }
        }

        try
        {
            var relateId = await FindRelationAsync(connection, small, big);
            if (relateId != 0)
            {
                return relateId;
            }

            await using var insert = new MySqlCommand(
                "INSERT INTO IMRelationShip (smallId, bigId, status, created, updated) VALUES (@s, @b, 0, @now, @now)", connection);
            insert.Parameters.AddWithValue("@s", small);
            insert.Parameters.AddWithValue("@b", big);
            insert.Parameters.AddWithValue("@now", now);
            await insert.ExecuteNonQueryAsync();
            return await FindRelationAsync(connection, small, big);
        }
        finally
        {
            await ReleaseAsync(connection, name);
        }
    }

    /// <summary>Releases the named lock; when that fails the session is reset (which releases it too) or, failing that, is broken and not pooled again.</summary>
    private static async Task ReleaseAsync(MySqlConnection connection, string name)
    {
        try
        {
            await using var release = new MySqlCommand("DO RELEASE_LOCK(@name)", connection);
            release.Parameters.AddWithValue("@name", name);
            await release.ExecuteNonQueryAsync();
        }
        catch (MySqlException)
        {
            try
            {
                await connection.ResetConnectionAsync();
            }
            catch (MySqlException)
            {
                // Broken: its locks went with it on the server.
            }
        }
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

    private static async Task<uint> FindRelationAsync(MySqlConnection connection, uint small, uint big)
    {
        await using var find = new MySqlCommand("SELECT MIN(id) FROM IMRelationShip WHERE smallId = @s AND bigId = @b", connection);
        find.Parameters.AddWithValue("@s", small);
        find.Parameters.AddWithValue("@b", big);
        return await find.ExecuteScalarAsync() is { } id and not DBNull ? Convert.ToUInt32(id, CultureInfo.InvariantCulture) : 0;
    }
}
