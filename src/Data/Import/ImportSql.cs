using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Import;

/// <summary>Small parameterized statements the import's parts share.</summary>
internal static class ImportSql
{
    /// <summary>Runs a statement with the given parameters; returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row as a number; null when there is no row or it is NULL.</summary>
    public static async Task<uint?> NumberAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && !reader.IsDBNull(0) ? Columns.Number(reader, 0) : null;
    }

    /// <summary>Which of <paramref name="ids"/> are rows of <paramref name="table"/> (IMUser or IMGroup), asked 1,000 at a time.</summary>
    public static async Task<HashSet<uint>> ExistingAsync(MySqlConnection connection, string table, IEnumerable<uint> ids, CancellationToken ct)
    {
        var found = new HashSet<uint>();
        foreach (var chunk in ids.Distinct().Chunk(1000))
        {
            await using var command = new MySqlCommand { Connection = connection };
            command.CommandText = $"SELECT id FROM {table} WHERE id IN ({SqlList.Add(command, "i", chunk)})";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add(Columns.Number(reader, 0));
            }
        }

        return found;
    }

    private static MySqlCommand Command(MySqlConnection connection, MySqlTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = new MySqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
