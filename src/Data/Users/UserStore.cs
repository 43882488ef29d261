using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Users;

/// <summary>A row of the original <c>IMUser</c> table, as login needs it.</summary>
public sealed record UserRecord(UserProfile Profile, string PasswordHash, string Salt, int Status);

/// <summary>A login name's <c>IMUser</c> rows (last one first) and its recent failed attempts (Unix ms, oldest first).</summary>
public sealed record LoginRead(IReadOnlyList<UserRecord> Users, List<long> Failures);

/// <summary>Reads users from the original <c>IMUser</c> table, and keeps the login failures (<c>TeamTalkLoginFailure</c>).</summary>
public sealed class UserStore(Database database)
{
    /// <summary>The <c>IMUser.status</c> the PHP admin sets for a user who left; such users cannot log in.</summary>
    public const int StatusLeft = 3;

    /// <summary>Longest login name whose failures are stored (the column's width); longer names, which no <c>IMUser</c> row has, are limited in memory only.</summary>
    public const int MaxStoredName = 255;

    private const string SelectColumns = ProfileColumns.Select + ", password, salt, status";

    /// <summary>
    /// The user rows whose login name is exactly <paramref name="name"/> (case-sensitive, as the original's binary
    /// collation), last one first: when names repeat, the original lets the last row returned win.
    /// </summary>
    public async Task<IReadOnlyList<UserRecord>> FindByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"SELECT {SelectColumns} FROM IMUser WHERE name = @name ORDER BY id DESC LIMIT 16", connection);
        command.Parameters.AddWithValue("@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadNamedAsync(reader, name, cancellationToken);
    }

    /// <summary>
    /// As <see cref="FindByNameAsync"/>, and the name's failed login attempts after <paramref name="sinceUnixMs"/>: both
    /// in one round trip (what a Login grain needs on its first attempt).
    /// </summary>
    public async Task<LoginRead> ReadLoginAsync(string name, long sinceUnixMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"""
            SELECT {SelectColumns} FROM IMUser WHERE name = @name ORDER BY id DESC LIMIT 16;
            SELECT failedAt FROM TeamTalkLoginFailure WHERE name = @name AND failedAt > @since ORDER BY failedAt;
            """,
            connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@since", sinceUnixMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = await ReadNamedAsync(reader, name, cancellationToken);
        var failures = new List<long>();
        if (await reader.NextResultAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                failures.Add(reader.GetInt64(0));
            }
        }

        return new LoginRead(users, failures);
    }

    /// <summary>Records a failed login attempt of <paramref name="name"/> (not for names longer than <see cref="MaxStoredName"/>).</summary>
    public async Task AddLoginFailureAsync(string name, long atUnixMs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxStoredName, nameof(name));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("INSERT INTO TeamTalkLoginFailure (name, failedAt) VALUES (@name, @at)", connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@at", atUnixMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets the failed attempts of <paramref name="name"/> at or before <paramref name="upToUnixMs"/> (all of them: <see cref="long.MaxValue"/>).</summary>
    public async Task DeleteLoginFailuresAsync(string name, long upToUnixMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("DELETE FROM TeamTalkLoginFailure WHERE name = @name AND failedAt <= @upTo", connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@upTo", upToUnixMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<UserRecord>> ReadNamedAsync(MySqlDataReader reader, string name, CancellationToken cancellationToken)
    {
        var rows = new List<UserRecord>(1);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = Read(reader);
            // The column's collation decides equality in SQL; an existing database may not be binary, so check again.
            if (string.Equals(record.Profile.RealName, name, StringComparison.Ordinal))
            {
                rows.Add(record);
            }
        }

        return rows;
    }

    /// <summary>
    /// True when MariaDB answers a ping on a pooled connection (COM_PING: nothing is parsed or read), false when it does
    /// not; opening a connection to a server that is down throws.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.PingAsync(cancellationToken);
    }

    /// <summary>The login name of user <paramref name="userId"/>; null when no row has this id.</summary>
    public async Task<string?> FindNameAsync(uint userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT name FROM IMUser WHERE id = @id", connection);
        command.Parameters.AddWithValue("@id", userId);
        return await command.ExecuteScalarAsync(cancellationToken) is string name ? name : null;
    }

    /// <summary>Those of <paramref name="userIds"/> that name a user in <c>IMUser</c>.</summary>
    public async Task<HashSet<uint>> ExistingAsync(IReadOnlyCollection<uint> userIds)
    {
        var found = new HashSet<uint>();
        if (userIds.Count == 0)
        {
            return found;
        }

        await using var connection = await database.OpenAsync();
        await using var query = new MySqlCommand { Connection = connection };
        query.CommandText = $"SELECT id FROM IMUser WHERE id IN ({SqlList.Add(query, "u", userIds)})";
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(Columns.Number(reader, 0));
        }

        return found;
    }

    /// <summary>A row as <see cref="UserRecord"/>; a NULL status reads as 0, as the directory reads it.</summary>
    private static UserRecord Read(MySqlDataReader reader) => new(
        ProfileColumns.Read(reader),
        Columns.Text(reader, ProfileColumns.Count),
        Columns.Text(reader, ProfileColumns.Count + 1),
        reader.IsDBNull(ProfileColumns.Count + 2) ? 0 : Convert.ToInt32(reader.GetValue(ProfileColumns.Count + 2), System.Globalization.CultureInfo.InvariantCulture));
}
