using System.Globalization;
using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.Admin;

/// <summary>
/// The back-office's writes of <c>IMUser</c> rows: creating a user and changing any of its fields. Passwords are stored
/// as the PHP admin stores them (<see cref="TeamTalkPassword"/>: a new salt, md5(md5(plain) + salt)), so the original
/// clients log in. Every write moves <c>updated</c> to the database's current second (never backwards), so the next
/// incremental all-users sync carries the user. Every value is a parameter.
/// </summary>
public sealed class UserAdminStore(Database database)
{
    /// <summary>Inserts a user (status 0, <c>created</c> = <c>updated</c> = now) and returns its id.</summary>
    public async Task<uint> InsertAsync(NewUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var salt = TeamTalkPassword.NewSalt();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            INSERT INTO IMUser (sex, name, domain, nick, password, salt, phone, email, avatar, departId, status, created, updated, push_shield_status, sign_info)
            VALUES (@sex, @name, '', @nick, @password, @salt, @phone, @email, @avatar, @depart, 0, UNIX_TIMESTAMP(), UNIX_TIMESTAMP(), 0, @sign)
            """,
            connection);
        command.Parameters.AddWithValue("@sex", user.Gender);
        command.Parameters.AddWithValue("@name", user.Name);
        command.Parameters.AddWithValue("@nick", user.NickName);
        command.Parameters.AddWithValue("@password", TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash(user.Password), salt));
        command.Parameters.AddWithValue("@salt", salt);
        command.Parameters.AddWithValue("@phone", user.Phone);
        command.Parameters.AddWithValue("@email", user.Email);
        command.Parameters.AddWithValue("@avatar", user.Avatar);
        command.Parameters.AddWithValue("@depart", user.DepartmentId);
        command.Parameters.AddWithValue("@sign", user.SignInfo);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (uint)command.LastInsertedId;
    }

    /// <summary>Sets the fields of <paramref name="update"/> that are set; false when no row has this id.</summary>
    public async Task<bool> UpdateAsync(uint userId, UserUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand { Connection = connection };
        var row = new PartialUpdate(command);
        row.Set("name", update.Name);
        row.Set("nick", update.NickName);
        row.Set("departId", update.DepartmentId);
        row.Set("sex", update.Gender);
        row.Set("phone", update.Phone);
        row.Set("email", update.Email);
        row.Set("avatar", update.Avatar);
        row.Set("sign_info", update.SignInfo);
        row.Set("status", update.Status);
        if (update.Password is { } password)
        {
            var salt = TeamTalkPassword.NewSalt();
            row.Set("salt", salt);
            row.Set("password", TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash(password), salt));
        }

        row.OfRow("IMUser", userId);

        // MySqlConnector reports matched rows (UseAffectedRows=false), so setting the same values again still counts.
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The id of a user other than <paramref name="exceptId"/> whose login name is exactly <paramref name="name"/>; 0 when none.</summary>
    public async Task<uint> FindOtherByNameAsync(string name, uint exceptId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT id, name FROM IMUser WHERE name = @name AND id <> @id", connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@id", exceptId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // The column's collation decides equality in SQL; an existing database may not be binary, so check again.
            if (string.Equals(reader.GetString(1), name, StringComparison.Ordinal))
            {
                return reader.GetUInt32(0);
            }
        }

        return 0;
    }

    /// <summary>True when an <c>IMDepart</c> row with this id exists and is not deleted (status 0).</summary>
    public async Task<bool> DepartmentExistsAsync(uint departmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM IMDepart WHERE id = @id AND status = 0", connection);
        command.Parameters.AddWithValue("@id", departmentId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>True when a department that is not deleted, other than <paramref name="exceptId"/>, has exactly this name under this parent.</summary>
    public async Task<bool> DepartmentNameTakenAsync(string name, uint parentId, uint exceptId = 0, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT departName FROM IMDepart WHERE departName = @name AND parentId = @parent AND status = 0 AND id <> @except", connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@parent", parentId);
        command.Parameters.AddWithValue("@except", exceptId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (string.Equals(reader.GetString(0), name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inserts a department (status 0, <c>created</c> = <c>updated</c> = now) and returns its id.</summary>
    public async Task<uint> InsertDepartmentAsync(NewDepartment department, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(department);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "INSERT INTO IMDepart (departName, priority, parentId, status, created, updated) VALUES (@name, @priority, @parent, 0, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())",
            connection);
        command.Parameters.AddWithValue("@name", department.Name);
        command.Parameters.AddWithValue("@priority", department.Priority);
        command.Parameters.AddWithValue("@parent", department.ParentId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (uint)command.LastInsertedId;
    }

    /// <summary>Sets a department's name, parent and priority (<c>updated</c> to now, never backwards); false when no row has this id.</summary>
    public async Task<bool> UpdateDepartmentAsync(uint departmentId, NewDepartment department, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(department);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "UPDATE IMDepart SET departName = @name, priority = @priority, parentId = @parent, updated = GREATEST(updated, UNIX_TIMESTAMP()) WHERE id = @id",
            connection);
        command.Parameters.AddWithValue("@name", department.Name);
        command.Parameters.AddWithValue("@priority", department.Priority);
        command.Parameters.AddWithValue("@parent", department.ParentId);
        command.Parameters.AddWithValue("@id", departmentId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
