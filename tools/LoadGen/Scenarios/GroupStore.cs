using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Data.Seeding;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Lookups for <c>--group-setup db</c> (the groups themselves are made by the shared <see cref="UserSeeder"/>).</summary>
internal static class GroupStore
{
    public static async Task<Dictionary<string, uint>> UserIdsAsync(MySqlConnection connection, IReadOnlyList<string> names, CancellationToken ct)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(1000))
        {
            await using var command = new MySqlCommand { Connection = connection };
            var sql = new StringBuilder("SELECT id, name FROM IMUser WHERE name IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@n{i}");
                command.Parameters.AddWithValue($"@n{i}", chunk[i]);
            }

            command.CommandText = sql.Append(") ORDER BY id").ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetString(1)] = Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    public static async Task<uint?> FindAsync(MySqlConnection connection, string name, CancellationToken ct)
    {
        await using var find = new MySqlCommand("SELECT id FROM IMGroup WHERE name = @name ORDER BY id DESC LIMIT 1", connection);
        find.Parameters.AddWithValue("@name", name);
        return await find.ExecuteScalarAsync(ct) is { } id and not DBNull ? Convert.ToUInt32(id, CultureInfo.InvariantCulture) : null;
    }
}
