using System.Globalization;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Admin;

/// <summary>The console's paged, searchable lists of <c>IMUser</c> and <c>IMGroup</c> rows. Every value is a parameter.</summary>
public sealed class ConsoleStore(Database database)
{
    /// <summary>Users (any status) whose name or nick contains <paramref name="query"/>, ordered by id.</summary>
    public async Task<ConsoleUserPage> SearchUsersAsync(string query, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string Where = "WHERE (@q = '' OR name LIKE @like OR nick LIKE @like)";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"SELECT COUNT(*) FROM IMUser {Where}; SELECT id, name, nick, departId, status, avatar FROM IMUser {Where} ORDER BY id LIMIT @skip, @take",
            connection);
        AddPaging(command, query, skip, take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var total = await CountAsync(reader, cancellationToken);
        var users = new List<ConsoleUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new ConsoleUser(Number(reader, 0), reader.GetString(1), reader.GetString(2), Number(reader, 3), Number(reader, 4),
                reader.IsDBNull(5) ? string.Empty : reader.GetString(5)));
        }

        return new ConsoleUserPage([.. users], total);
    }

    /// <summary>Groups that are not deleted (status 0) whose name contains <paramref name="query"/>, ordered by id.</summary>
    public async Task<ConsoleGroupPage> SearchGroupsAsync(string query, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string Where = "WHERE status = 0 AND (@q = '' OR name LIKE @like)";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"SELECT COUNT(*) FROM IMGroup {Where}; SELECT id, name, type, userCnt, creator FROM IMGroup {Where} ORDER BY id LIMIT @skip, @take",
            connection);
        AddPaging(command, query, skip, take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var total = await CountAsync(reader, cancellationToken);
        var groups = new List<ConsoleGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new ConsoleGroup(Number(reader, 0), reader.GetString(1), Number(reader, 2), Number(reader, 3), Number(reader, 4)));
        }

        return new ConsoleGroupPage([.. groups], total);
    }

    /// <summary><paramref name="text"/> as a LIKE pattern matching it anywhere (its own <c>%</c>, <c>_</c> and <c>\</c> taken literally).</summary>
    public static string Contains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
    }

    private static void AddPaging(MySqlCommand command, string query, int skip, int take)
    {
        command.Parameters.AddWithValue("@q", query);
        command.Parameters.AddWithValue("@like", Contains(query));
        command.Parameters.AddWithValue("@skip", Math.Max(0, skip));
        command.Parameters.AddWithValue("@take", Math.Clamp(take, 1, 500));
    }

    private static async Task<int> CountAsync(MySqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        var total = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
        await reader.NextResultAsync(cancellationToken);
        return total;
    }

    private static uint Number(MySqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? 0 : Convert.ToUInt32(reader.GetValue(column), CultureInfo.InvariantCulture);
}
