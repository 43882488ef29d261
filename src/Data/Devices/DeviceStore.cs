using System.Globalization;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Devices;

/// <summary>
/// SQL of a user's phones: their push tokens (<c>TeamTalkDeviceToken</c>, one row per token) and the user's push-shield
/// (do-not-disturb) flag, kept in the original column <c>IMUser.push_shield_status</c> so that an existing deployment's
/// flags carry over.
/// </summary>
public sealed class DeviceStore(Database database)
{
    /// <summary>The longest token the table holds.</summary>
    public const int MaxTokenLength = 255;

    /// <summary>
    /// Records that <paramref name="token"/> is the phone of <paramref name="userId"/> now: the token's row moves to
    /// the user (from whichever user had it), and the user's other tokens are dropped (the user's one phone, as the
    /// original keeps one token per user). One transaction.
    /// </summary>
    public async Task SetTokenAsync(uint userId, string token, uint clientType, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var drop = new MySqlCommand("DELETE FROM TeamTalkDeviceToken WHERE userId = @u AND token <> @t", connection, transaction))
        {
            drop.Parameters.AddWithValue("@u", userId);
            drop.Parameters.AddWithValue("@t", token);
            await drop.ExecuteNonQueryAsync();
        }

        await using (var upsert = new MySqlCommand(
            """
            INSERT INTO TeamTalkDeviceToken (token, userId, clientType, updated) VALUES (@t, @u, @c, @now)
            ON DUPLICATE KEY UPDATE userId = VALUES(userId), clientType = VALUES(clientType), updated = VALUES(updated)
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("@t", token);
            upsert.Parameters.AddWithValue("@u", userId);
            upsert.Parameters.AddWithValue("@c", clientType);
            upsert.Parameters.AddWithValue("@now", now);
            await upsert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>Drops the user's tokens of <paramref name="clientType"/> (a phone that logged out); returns how many.</summary>
    public async Task<int> ClearTokensAsync(uint userId, uint clientType)
    {
        await using var connection = await database.OpenAsync();
        await using var delete = new MySqlCommand("DELETE FROM TeamTalkDeviceToken WHERE userId = @u AND clientType = @c", connection);
        delete.Parameters.AddWithValue("@u", userId);
        delete.Parameters.AddWithValue("@c", clientType);
        return await delete.ExecuteNonQueryAsync();
    }

    /// <summary>Drops a token its push service reported invalid (whichever user holds it); returns how many rows went.</summary>
    public async Task<int> RemoveTokenAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        await using var delete = new MySqlCommand("DELETE FROM TeamTalkDeviceToken WHERE token = @t", connection);
        delete.Parameters.AddWithValue("@t", token);
        return await delete.ExecuteNonQueryAsync();
    }

    /// <summary>The tokens of the given users: (user, token, client type), by user then token.</summary>
    public async Task<List<(uint UserId, string Token, uint ClientType)>> GetTokensAsync(IReadOnlyCollection<uint> userIds)
    {
        var tokens = new List<(uint, string, uint)>();
        if (userIds.Count == 0)
        {
            return tokens;
        }

        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand { Connection = connection };
        select.CommandText = "SELECT userId, token, clientType FROM TeamTalkDeviceToken WHERE userId IN ("
            + Sql.SqlList.Add(select, "u", userIds) + ") ORDER BY userId, token";
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tokens.Add((Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), Convert.ToUInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return tokens;
    }

    /// <summary>
    /// Stores the user's push-shield flag (and <c>IMUser.updated</c>, as the original does); false when no such user
    /// exists.
    /// </summary>
    public async Task<bool> SetPushShieldAsync(uint userId, byte shieldStatus, uint now)
    {
        await using var connection = await database.OpenAsync();
        await using var update = new MySqlCommand("UPDATE IMUser SET push_shield_status = @s, updated = @now WHERE id = @u", connection);
        update.Parameters.AddWithValue("@s", shieldStatus);
        update.Parameters.AddWithValue("@now", now);
        update.Parameters.AddWithValue("@u", userId);
        return await update.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>The user's push-shield flag; null when no such user exists.</summary>
    public async Task<uint?> GetPushShieldAsync(uint userId)
    {
        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand("SELECT push_shield_status FROM IMUser WHERE id = @u", connection);
        select.Parameters.AddWithValue("@u", userId);
        return await select.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToUInt32(value, CultureInfo.InvariantCulture) : null;
    }
}
