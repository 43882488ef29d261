using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>Reads <c>IMAudio</c> rows (what history needs to rebuild an audio message).</summary>
public sealed class AudioStore(Database database)
{
    /// <summary>The rows with the given ids: id → (path, duration). Ids without a row are missing from the answer.</summary>
    public async Task<Dictionary<uint, (string Path, uint Duration)>> FindAsync(IReadOnlyCollection<uint> ids)
    {
        var rows = new Dictionary<uint, (string, uint)>(ids.Count);
        if (ids.Count == 0)
        {
            return rows;
        }

        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand { Connection = connection };
        select.CommandText = "SELECT id, path, duration FROM IMAudio WHERE id IN (" + SqlList.Add(select, "a", ids) + ")";
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[Columns.Number(reader, 0)] = (Columns.Text(reader, 1), Columns.Number(reader, 2));
        }

        return rows;
    }
}
