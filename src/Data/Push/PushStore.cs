using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Push;

/// <summary>The reads of the push service that no other store makes: many users' nicks and push-shield flags in one statement.</summary>
public sealed class PushStore(Database database)
{
    /// <summary>The existing users among <paramref name="userIds"/> with their nick and <c>push_shield_status</c>, by id.</summary>
    public async Task<Dictionary<uint, PushUserRow>> UsersAsync(IReadOnlyCollection<uint> userIds)
    {
        var rows = new Dictionary<uint, PushUserRow>(userIds.Count);
        if (userIds.Count == 0)
        {
            return rows;
        }

        await using var connection = await database.OpenAsync();
        await using var select = new MySqlCommand { Connection = connection };
        select.CommandText = "SELECT id, nick, push_shield_status FROM IMUser WHERE id IN (" + SqlList.Add(select, "u", userIds) + ")";
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = Columns.Number(reader, 0);
            rows[id] = new PushUserRow(id, Columns.Text(reader, 1), reader.IsDBNull(2) ? 0 : Columns.Number(reader, 2));
        }

        return rows;
    }
}
