using MySqlConnector;

namespace TeamTalk.Orleans.Data.Users;

/// <summary>
/// Writes the profile fields users change from a client into the original <c>IMUser</c> table. Every change also moves
/// <c>updated</c> to the database's current second (never backwards), so the next incremental all-users sync
/// (<c>updated &gt;= latest_update_time</c>) carries the user. Every value is a parameter.
/// </summary>
public sealed class ProfileStore(Database database)
{
    /// <summary>Sets <c>IMUser.sign_info</c>; false when no row has this id.</summary>
    public Task<bool> SetSignInfoAsync(uint userId, string signInfo, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE IMUser SET sign_info = @value, updated = GREATEST(updated, UNIX_TIMESTAMP()) WHERE id = @id", userId, signInfo, cancellationToken);

    /// <summary>Sets <c>IMUser.avatar</c>; false when no row has this id.</summary>
    public Task<bool> SetAvatarAsync(uint userId, string avatarUrl, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE IMUser SET avatar = @value, updated = GREATEST(updated, UNIX_TIMESTAMP()) WHERE id = @id", userId, avatarUrl, cancellationToken);

    private async Task<bool> UpdateAsync(string sql, uint userId, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@value", value);
        command.Parameters.AddWithValue("@id", userId);

        // MySqlConnector reports matched rows (UseAffectedRows=false), so setting the same value again still counts.
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
