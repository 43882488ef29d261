using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Files;

/// <summary>
/// SQL of offline files: the original index <c>IMTransmitFile</c> (what has-offline lists, what del-offline removes) and
/// our <c>TeamTalkOfflineFile</c> (the blob of each completed upload). Every value is a parameter.
/// </summary>
public sealed class OfflineFileStore(Database database)
{
    /// <summary>Longest file name kept (the <c>fileName</c> columns).</summary>
    public const int MaxFileNameChars = 512;

    /// <summary>Records a completed upload.</summary>
    public async Task SaveAsync(StoredFile file, uint now)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var connection = await database.OpenAsync();
        await using var insert = new MySqlCommand(
            "INSERT INTO TeamTalkOfflineFile (taskId, blobName, fromId, toId, fileName, size, created) VALUES (@t, @b, @f, @to, @n, @s, @now)",
            connection);
        insert.Parameters.AddWithValue("@t", file.TaskId);
        insert.Parameters.AddWithValue("@b", file.Blob);
        insert.Parameters.AddWithValue("@f", file.FromId);
        insert.Parameters.AddWithValue("@to", file.ToId);
        insert.Parameters.AddWithValue("@n", file.FileName);
        insert.Parameters.AddWithValue("@s", file.Size);
        insert.Parameters.AddWithValue("@now", now);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>The completed upload of a task; null when there is none.</summary>
    public async Task<StoredFile?> FindAsync(string taskId)
    {
        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand(
            "SELECT blobName, fromId, toId, fileName, size FROM TeamTalkOfflineFile WHERE taskId = @t", connection);
        select.Parameters.AddWithValue("@t", taskId);
        await using var reader = await select.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new StoredFile(taskId, reader.GetString(0), Columns.Number(reader, 1), Columns.Number(reader, 2), Columns.Text(reader, 3), Columns.Number(reader, 4))
            : null;
    }

    /// <summary>Adds the index row the receiver's has-offline lists (status 0), as the original's db_proxy writes it.</summary>
    public async Task AddIndexAsync(StoredFile file, uint now)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var connection = await database.OpenAsync();
        await using var insert = new MySqlCommand(
            "INSERT INTO IMTransmitFile (fromId, toId, fileName, size, taskId, status, created, updated) VALUES (@f, @to, @n, @s, @t, 0, @now, @now)",
            connection);
        insert.Parameters.AddWithValue("@f", file.FromId);
        insert.Parameters.AddWithValue("@to", file.ToId);
        insert.Parameters.AddWithValue("@n", file.FileName);
        insert.Parameters.AddWithValue("@s", file.Size);
        insert.Parameters.AddWithValue("@t", file.TaskId);
        insert.Parameters.AddWithValue("@now", now);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>The files waiting for <paramref name="toId"/>, oldest first.</summary>
    public async Task<List<OfflineFileRow>> ListAsync(uint toId)
    {
        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand(
            "SELECT fromId, taskId, fileName, size FROM IMTransmitFile WHERE toId = @to AND status = 0 ORDER BY created, id", connection);
        select.Parameters.AddWithValue("@to", toId);
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new List<OfflineFileRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OfflineFileRow(Columns.Number(reader, 0), Columns.Text(reader, 1), Columns.Text(reader, 2), Columns.Number(reader, 3)));
        }

        return rows;
    }

    /// <summary>
    /// Deletes the receiver's index rows of a task (one transaction); when no index row of the task is left, also its
    /// upload row, and returns that upload's blob name for the caller to delete. Rows deleted and the blob (or null).
    /// </summary>
    public async Task<(int Deleted, string? OrphanBlob)> DeleteIndexAsync(uint fromId, uint toId, string taskId)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        int deleted;
        await using (var delete = new MySqlCommand("DELETE FROM IMTransmitFile WHERE fromId = @f AND toId = @to AND taskId = @t", connection, transaction))
        {
            delete.Parameters.AddWithValue("@f", fromId);
            delete.Parameters.AddWithValue("@to", toId);
            delete.Parameters.AddWithValue("@t", taskId);
            deleted = await delete.ExecuteNonQueryAsync();
        }

        string? blob;
        await using (var orphan = new MySqlCommand(
            """
            SELECT blobName FROM TeamTalkOfflineFile WHERE taskId = @t
              AND NOT EXISTS (SELECT 1 FROM IMTransmitFile WHERE taskId = @t) FOR UPDATE
            """, connection, transaction))
        {
            orphan.Parameters.AddWithValue("@t", taskId);
            blob = await orphan.ExecuteScalarAsync() as string;
        }

        if (deleted > 0 && blob is not null)
        {
            await using var drop = new MySqlCommand("DELETE FROM TeamTalkOfflineFile WHERE taskId = @t", connection, transaction);
            drop.Parameters.AddWithValue("@t", taskId);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            blob = null;
        }

        await transaction.CommitAsync();
        return (deleted, blob);
    }

    /// <summary>
    /// Removes up to <paramref name="limit"/> completed uploads created before <paramref name="createdBefore"/> that no
    /// <c>IMTransmitFile</c> row offers (the sender never sent add-offline, or an old import left them), in one
    /// transaction, and returns their blob names for the caller to delete. Two silos sweeping at once remove each row once.
    /// </summary>
    public async Task<List<string>> TakeUnofferedAsync(uint createdBefore, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var taken = new List<(string Task, string Blob)>();
        await using (var select = new MySqlCommand(
            """
            SELECT o.taskId, o.blobName FROM TeamTalkOfflineFile o
             WHERE o.created < @before AND NOT EXISTS (SELECT 1 FROM IMTransmitFile t WHERE t.taskId = o.taskId)
             ORDER BY o.created LIMIT @limit FOR UPDATE
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("@before", createdBefore);
            select.Parameters.AddWithValue("@limit", limit);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                taken.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (task, _) in taken)
        {
            await using var delete = new MySqlCommand("DELETE FROM TeamTalkOfflineFile WHERE taskId = @t", connection, transaction);
            delete.Parameters.AddWithValue("@t", task);
            await delete.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return taken.ConvertAll(t => t.Blob);
    }
}
