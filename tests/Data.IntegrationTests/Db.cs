using System.Globalization;
using System.Text;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>Small helpers for reading a test database.</summary>
internal static class Db
{
    public static async Task<MySqlConnection> OpenAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    public static async Task<long> LongAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync(connectionString, sql, parameters), CultureInfo.InvariantCulture);

    public static async Task<string> StringAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToString(await ScalarAsync(connectionString, sql, parameters), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>All rows of a query rendered as text lines (for before/after comparisons).</summary>
    public static async Task<List<string>> RowsAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var line = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                line.Append(i == 0 ? string.Empty : "|").Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            }

            rows.Add(line.ToString());
        }

        return rows;
    }

    /// <summary>Unique indexes of a table as "name:col1,col2".</summary>
    public static Task<List<string>> UniqueIndexesAsync(string connectionString, string table) =>
        RowsAsync(connectionString, """
            SELECT CONCAT(INDEX_NAME, ':', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ','))
            FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'
            GROUP BY INDEX_NAME ORDER BY INDEX_NAME
            """, ("@t", table));
}
