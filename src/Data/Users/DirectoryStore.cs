using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Users;

/// <summary>
/// Reads the organisation directory from the original <c>IMUser</c> and <c>IMDepart</c> tables. Every statement is
/// parameterized; nothing is cached here.
/// </summary>
public sealed class DirectoryStore(Database database)
{
    private const string UserColumns = ProfileColumns.Select + ", status, updated";

    /// <summary>The users among <paramref name="userIds"/> that exist (any status), ordered by id.</summary>
    public async Task<IReadOnlyList<DirectoryUser>> GetUsersAsync(IReadOnlyCollection<uint> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand { Connection = connection };
        command.CommandText = $"SELECT {UserColumns} FROM IMUser WHERE id IN ({SqlList.Add(command, "id", userIds)}) ORDER BY id";
        return await ReadUsersAsync(command, cancellationToken);
    }

    /// <summary>
    /// With <paramref name="since"/> = 0 every user who has not left (<c>status</c> other than 3; NULL counts as 0);
    /// otherwise every user of any status with <c>updated &gt;= since</c>. Ordered by id.
    /// </summary>
    public async Task<IReadOnlyList<DirectoryUser>> GetUsersChangedSinceAsync(uint since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            since == 0
                ? $"SELECT {UserColumns} FROM IMUser WHERE COALESCE(status, 0) <> @left ORDER BY id"
                : $"SELECT {UserColumns} FROM IMUser WHERE updated >= @since ORDER BY id",
            connection);
        command.Parameters.AddWithValue("@left", UserStore.StatusLeft);
        command.Parameters.AddWithValue("@since", since);
        return await ReadUsersAsync(command, cancellationToken);
    }

    /// <summary>Departments with <c>updated &gt; since</c> and status 0 or 1, ordered by id, and the database's current time.</summary>
    public async Task<(IReadOnlyList<Department> Departments, uint DatabaseNow)> GetDepartmentsChangedSinceAsync(
        uint since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            SELECT id, departName, priority, parentId, status, updated FROM IMDepart
            WHERE updated > @since AND status IN (0, 1) ORDER BY id;
            SELECT UNIX_TIMESTAMP();
            """,
            connection);
        command.Parameters.AddWithValue("@since", since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var departments = new List<Department>();
        while (await reader.ReadAsync(cancellationToken))
        {
            departments.Add(new Department(
                DepartmentId: Columns.Number(reader, 0),
                Name: Columns.Text(reader, 1),
                Priority: Columns.Number(reader, 2),
                ParentId: Columns.Number(reader, 3),
                Status: Columns.Number(reader, 4),
                Updated: Columns.Number(reader, 5)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var now = Columns.Number(reader, 0);
        return (departments, now);
    }

    private static async Task<IReadOnlyList<DirectoryUser>> ReadUsersAsync(MySqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<DirectoryUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var profile = ProfileColumns.Read(reader);
            var status = reader.IsDBNull(ProfileColumns.Count) ? 0u : Columns.Number(reader, ProfileColumns.Count);
            users.Add(new DirectoryUser(profile, status, Columns.Number(reader, ProfileColumns.Count + 1)));
        }

        return users;
    }
}
