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
    private static Task<uint> CreateRelationAsync(MySqlConnection connection, uint small, uint big, uint now) =>
        UnderPairLockAsync(connection, "relation", small, big, async () =>
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
        });

    /// <summary>
    /// Runs <paramref name="work"/> holding the named lock <c>teamtalk.{what}.{small}.{big}</c> (<c>GET_LOCK</c>, at most
    /// 10 s to get it): the find-or-insert of rows the original tables give no unique key to.
    /// </summary>
    private static async Task<T> UnderPairLockAsync<T>(MySqlConnection connection, string what, uint small, uint big, Func<Task<T>> work)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"teamtalk.{what}.{small}.{big}");
        await using (var take = new MySqlCommand("SELECT GET_LOCK(@name, 10)", connection))
        {
            take.Parameters.AddWithValue("@name", name);
            var granted = await take.ExecuteScalarAsync();
            if (granted is null or DBNull || Convert.ToInt64(granted, CultureInfo.InvariantCulture) != 1)
            {
                // 0: not within 10 s; NULL: an error on the server.
                throw new TimeoutException($"the lock {name} was not granted within 10 s");
            }
        }

        try
        {
            return await work();
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
            // Reset, the lock is released; broken, it went with the session. Either way nobody is left waiting for it.
            await Database.ResetAfterFailureAsync(connection);
        }
    }

    /// <summary>
    /// The <c>IMRecentSession</c> rows (type 1) of user → peer and peer → user, inserting missing ones under a named lock
    /// of the pair, so that concurrent callers (two activations of the pair's grain for a moment) insert one row each way,
    /// not one each (a client would list the conversation twice).
    /// </summary>
    public async Task<int[]> EnsureRecentSessionsAsync(uint user, uint peer, uint now)
    {
        await using var connection = await database.OpenAsync();
        return await UnderPairLockAsync(connection, "sessions", Math.Min(user, peer), Math.Max(user, peer), () => FindOrInsertRecentSessionsAsync(connection, user, peer, now));
    }

    private static async Task<int[]> FindOrInsertRecentSessionsAsync(MySqlConnection connection, uint user, uint peer, uint now)
    {
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
