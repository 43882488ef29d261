using MySqlConnector;

namespace TeamTalk.Orleans.Data.Admin;

/// <summary>An <c>IMAdmin</c> row: <see cref="Status"/> 0 is active, 1 deleted (the original's meaning).</summary>
public sealed record AdminAccountRow(uint Id, string Name, string PasswordHash, uint Status);

/// <summary>
/// The administrators of the web console: the original's <c>IMAdmin</c> table (<c>uname</c>, <c>pwd</c> =
/// <see cref="AdminPassword.Hash"/>, <c>status</c>, <c>created</c>, <c>updated</c>). Every value is a parameter.
/// </summary>
public sealed class AdminAccountStore(Database database)
{
    /// <summary>The account named exactly <paramref name="name"/> (lowest id first when the table holds several); null when none.</summary>
    public async Task<AdminAccountRow?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT id, uname, pwd, status FROM IMAdmin WHERE uname = @name ORDER BY id", connection);
        command.Parameters.AddWithValue("@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // The column's collation decides equality in SQL (the stock table is case-insensitive); names match exactly here.
            var row = new AdminAccountRow(Convert.ToUInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1),
                reader.GetString(2), Convert.ToUInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture));
            if (string.Equals(row.Name, name, StringComparison.Ordinal))
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>
    /// Creates the account <paramref name="name"/> with <paramref name="password"/> (status 0), or, when it exists, sets
    /// its password and status 0. Returns the account's id and whether it was created.
    /// </summary>
    public async Task<(uint Id, bool Created)> SetAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        var existing = await FindAsync(name, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand { Connection = connection };
        command.Parameters.AddWithValue("@pwd", AdminPassword.Hash(password));
        if (existing is null)
        {
            command.CommandText = "INSERT INTO IMAdmin (uname, pwd, status, created, updated) VALUES (@name, @pwd, 0, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())";
            command.Parameters.AddWithValue("@name", name);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return ((uint)command.LastInsertedId, true);
        }

        command.CommandText = "UPDATE IMAdmin SET pwd = @pwd, status = 0, updated = UNIX_TIMESTAMP() WHERE id = @id";
        command.Parameters.AddWithValue("@id", existing.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (existing.Id, false);
    }
}
