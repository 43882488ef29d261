using System.Globalization;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Admin;

/// <summary>
/// The discover items (<c>IMDiscovery</c>): rows of status 0 are live; deleting sets status 1 as the original admin
/// does. <c>created</c>/<c>updated</c> are the database's current second. Every value is a parameter.
/// </summary>
public sealed class DiscoveryStore(Database database)
{
    /// <summary>The live items by ascending priority, then id.</summary>
    public async Task<IReadOnlyList<DiscoveryItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT id, itemName, itemUrl, itemPriority FROM IMDiscovery WHERE status = 0 ORDER BY itemPriority, id", connection);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The live item with this id; null when none.</summary>
    public async Task<DiscoveryItem?> GetAsync(uint id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT id, itemName, itemUrl, itemPriority FROM IMDiscovery WHERE status = 0 AND id = @id", connection);
        command.Parameters.AddWithValue("@id", id);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Inserts a live item; returns its id.</summary>
    public async Task<uint> InsertAsync(DiscoveryItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "INSERT INTO IMDiscovery (itemName, itemUrl, itemPriority, status, created, updated) VALUES (@name, @url, @priority, 0, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())",
            connection);
        AddFields(command, item);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (uint)command.LastInsertedId;
    }

    /// <summary>Changes a live item's fields; false when no live item has its id.</summary>
    public async Task<bool> UpdateAsync(DiscoveryItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "UPDATE IMDiscovery SET itemName = @name, itemUrl = @url, itemPriority = @priority, updated = UNIX_TIMESTAMP() WHERE id = @id AND status = 0",
            connection);
        AddFields(command, item);
        command.Parameters.AddWithValue("@id", item.Id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Marks a live item deleted (status 1); false when no live item has this id.</summary>
    public async Task<bool> DeleteAsync(uint id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("UPDATE IMDiscovery SET status = 1, updated = UNIX_TIMESTAMP() WHERE id = @id AND status = 0", connection);
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static void AddFields(MySqlCommand command, DiscoveryItem item)
    {
        command.Parameters.AddWithValue("@name", item.Name);
        command.Parameters.AddWithValue("@url", item.Url);
        command.Parameters.AddWithValue("@priority", item.Priority);
    }

    private static async Task<List<DiscoveryItem>> ReadAsync(MySqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<DiscoveryItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new DiscoveryItem(Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                Convert.ToUInt32(reader.GetValue(3), CultureInfo.InvariantCulture)));
        }

        return items;
    }
}
