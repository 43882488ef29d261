using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Discovery;

/// <summary>
/// SQL of the discover items (<c>IMDiscovery</c>, the original's table): reading them, and the back-office's writes.
/// Every write sets <c>updated</c> to the database's current second; every value is a parameter.
/// </summary>
public sealed class DiscoveryStore(Database database)
{
    private const string SelectColumns = "SELECT id, itemName, itemUrl, itemPriority, status, created, updated FROM IMDiscovery";

    /// <summary>The items, ordered by id: all of them, or only those with status <paramref name="status"/>.</summary>
    public async Task<IReadOnlyList<DiscoverItem>> ListAsync(uint? status, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new MySqlCommand(
            status is null ? $"{SelectColumns} ORDER BY id" : $"{SelectColumns} WHERE status = @status ORDER BY id", connection);
        if (status is { } wanted)
        {
            select.Parameters.AddWithValue("@status", wanted);
        }

        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var items = new List<DiscoverItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    /// <summary>One item, or null.</summary>
    public async Task<DiscoverItem?> FindAsync(uint id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new MySqlCommand($"{SelectColumns} WHERE id = @id", connection);
        select.Parameters.AddWithValue("@id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Inserts an item (<c>created</c> = <c>updated</c> = now) and returns its id.</summary>
    public async Task<uint> InsertAsync(string name, string url, uint priority, uint status, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = new MySqlCommand(
            """
            INSERT INTO IMDiscovery (itemName, itemUrl, itemPriority, status, created, updated)
            VALUES (@name, @url, @priority, @status, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())
            """,
            connection);
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@url", url);
        insert.Parameters.AddWithValue("@priority", priority);
        insert.Parameters.AddWithValue("@status", status);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (uint)insert.LastInsertedId;
    }

    /// <summary>Sets the fields of <paramref name="fields"/> that are set; false when no row has this id.</summary>
    public async Task<bool> UpdateAsync(uint id, DiscoverItemFields fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand { Connection = connection };
        var row = new PartialUpdate(command);

        row.Set("itemName", fields.Name);
        row.Set("itemUrl", fields.Url);
        row.Set("itemPriority", fields.Priority);
        row.Set("status", fields.Status);
        row.OfRow("IMDiscovery", id);

        // Matched rows are reported (UseAffectedRows=false), so writing the same values again still counts.
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static DiscoverItem Read(MySqlDataReader reader) => new(
        Columns.Number(reader, 0),
        Columns.Text(reader, 1),
        Columns.Text(reader, 2),
        Columns.Number(reader, 3),
        Columns.Number(reader, 4),
        Columns.Number(reader, 5),
        Columns.Number(reader, 6));
}
