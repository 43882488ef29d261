using System.Globalization;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Users;

/// <summary>
/// Reads the organisation directory from the original <c>IMUser</c> and <c>IMDepart</c> tables. Every statement is
/// parameterized; nothing is cached here.
/// </summary>
public sealed class DirectoryStore(Database database)
{
    private const string UserColumns = "id, sex, nick, avatar, departId, email, name, phone, domain, sign_info, status, updated";

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
        var sql = new StringBuilder($"SELECT {UserColumns} FROM IMUser WHERE id IN (");
        var i = 0;
        foreach (var id in userIds)
        {
            var name = "@id" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? name : "," + name);
            command.Parameters.AddWithValue(name, id);
            i++;
        }

        sql.Append(") ORDER BY id");
        command.CommandText = sql.ToString();
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
                DepartmentId: ToUInt32(reader.GetValue(0)),
                Name: GetString(reader, 1),
                Priority: ToUInt32(reader.GetValue(2)),
                ParentId: ToUInt32(reader.GetValue(3)),
                Status: ToUInt32(reader.GetValue(4)),
                Updated: ToUInt32(reader.GetValue(5))));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var now = Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
        return (departments, now);
    }

    /// <summary>True when an <c>IMUser</c> row with this id exists.</summary>
    public async Task<bool> UserExistsAsync(uint userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT 1 FROM IMUser WHERE id = @id LIMIT 1", connection);
        command.Parameters.AddWithValue("@id", userId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<IReadOnlyList<DirectoryUser>> ReadUsersAsync(MySqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<DirectoryUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var profile = new UserProfile(
                UserId: ToUInt32(reader.GetValue(0)),
                Gender: ToUInt32(reader.GetValue(1)),
                NickName: GetString(reader, 2),
                AvatarUrl: GetString(reader, 3),
                DepartmentId: ToUInt32(reader.GetValue(4)),
                Email: GetString(reader, 5),
                RealName: GetString(reader, 6),
                Phone: GetString(reader, 7),
                Domain: GetString(reader, 8),
                SignInfo: GetString(reader, 9));
            var status = reader.IsDBNull(10) ? 0u : ToUInt32(reader.GetValue(10));
            users.Add(new DirectoryUser(profile, status, ToUInt32(reader.GetValue(11))));
        }

        return users;
    }

    private static uint ToUInt32(object value) => Convert.ToUInt32(value, CultureInfo.InvariantCulture);

    private static string GetString(MySqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);
}
