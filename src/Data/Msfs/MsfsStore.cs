using MySqlConnector;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Msfs;

/// <summary>SQL of the msfs entries (<c>TeamTalkMsfsFile</c>): which blob a path names, its content type and size.</summary>
public sealed class MsfsStore(Database database)
{
    /// <summary>The longest path the table holds.</summary>
    public const int MaxPathLength = 128;

    /// <summary>The longest content type the table holds.</summary>
    public const int MaxContentTypeLength = 64;

    /// <summary>Records an entry; false when the path is taken already (nothing written).</summary>
    public async Task<bool> AddAsync(MsfsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await database.OpenAsync();
        await using var insert = new MySqlCommand(
            """
            INSERT IGNORE INTO TeamTalkMsfsFile (path, blobName, contentType, size, created)
            VALUES (@path, @blob, @type, @size, @created)
            """, connection);
        insert.Parameters.AddWithValue("@path", entry.Path);
        insert.Parameters.AddWithValue("@blob", entry.BlobName);
        insert.Parameters.AddWithValue("@type", entry.ContentType);
        insert.Parameters.AddWithValue("@size", entry.Size);
        insert.Parameters.AddWithValue("@created", entry.Created);
        return await insert.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>The entry of a path, or null.</summary>
    public async Task<MsfsEntry?> FindAsync(string path)
    {
        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand(
            "SELECT blobName, contentType, size, created FROM TeamTalkMsfsFile WHERE path = @path", connection);
        select.Parameters.AddWithValue("@path", path);
        await using var reader = await select.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new MsfsEntry(path, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetUInt32(3))
            : null;
    }
}
