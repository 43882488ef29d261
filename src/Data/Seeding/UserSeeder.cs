using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TeamTalk.Orleans.Data.Users;

namespace TeamTalk.Orleans.Data.Seeding;

/// <summary>A user to create in IMUser (login <see cref="Name"/>, plaintext <see cref="Password"/>).</summary>
/// <param name="Name">Login name (IMUser.name, at most 32 characters, case-sensitive).</param>
/// <param name="Password">Plaintext password; stored as md5(md5(plain) + salt).</param>
/// <param name="Nick">Display name (IMUser.nick, at most 32 characters).</param>
/// <param name="Sex">0 unknown, 1 male, 2 female.</param>
/// <param name="Domain">IMUser.domain (pinyin / search key), at most 32 characters.</param>
/// <param name="Phone">At most 11 characters.</param>
/// <param name="Email">At most 64 characters.</param>
/// <param name="Avatar">Avatar URL, at most 255 characters.</param>
/// <param name="SignInfo">Signature, at most 128 characters.</param>
public sealed record SeedUser(
    string Name,
    string Password,
    string Nick,
    byte Sex = 0,
    string Domain = "",
    string Phone = "",
    string Email = "",
    string Avatar = "",
    string SignInfo = "");

/// <summary>
/// Creates departments and users in the original TeamTalk tables, idempotently: a user whose name
/// exists is left as it is except that its password is reset when it does not match the given one.
/// New users are inserted with multi-row INSERTs (1,000 rows a statement) in one transaction, so
/// tens of thousands of load-test users take seconds. Concurrent seeders take turns (named lock).
/// </summary>
public sealed partial class UserSeeder
{
    /// <summary>MySQL named lock held while seeding.</summary>
    public const string LockName = "teamtalk_orleans_seed";

    private const int BatchSize = 1000;
    private readonly string _connectionString;
    private readonly ILogger<UserSeeder> _logger;

    public UserSeeder(string connectionString, ILogger<UserSeeder> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        _connectionString = connectionString;
        _logger = logger;
    }

    /// <summary>Current time as TeamTalk stores it (Unix seconds).</summary>
    public static uint UnixNow() => (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>
    /// Returns the id of the group named <paramref name="name"/>, creating it (as the back-office does: an
    /// <c>IMGroup</c> row of type <paramref name="groupType"/>, version 1, and an active <c>IMGroupMember</c> row per
    /// member, the first member as creator) when no group has that name. An existing group is left as it is.
    /// </summary>
    public async Task<uint> EnsureGroupAsync(string name, IReadOnlyList<uint> members, uint groupType = 1, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(members);
        if (name.Length > 256 || members.Count == 0 || groupType is not (1 or 2))
        {
            throw new ArgumentException("A group needs a name of at most 256 characters, a member, and type 1 (normal) or 2 (temporary).", nameof(name));
        }

        await using var connection = await OpenAsync(ct);
        await LockAsync(connection, ct);
        try
        {
            await using (var find = new MySqlCommand("SELECT id FROM IMGroup WHERE name = @name ORDER BY id DESC LIMIT 1", connection))
            {
                find.Parameters.AddWithValue("@name", name);
                if (await find.ExecuteScalarAsync(ct) is { } found and not DBNull)
                {
                    return Convert.ToUInt32(found, CultureInfo.InvariantCulture);
                }
            }

            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var insert = new MySqlCommand(
                "INSERT INTO IMGroup (name, avatar, creator, type, userCnt, status, version, lastChated, updated, created) VALUES (@name, '', @creator, @type, @count, 0, 1, 0, @now, @now)",
                connection, transaction);
            var now = UnixNow();
            insert.Parameters.AddWithValue("@name", name);
            insert.Parameters.AddWithValue("@creator", members[0]);
            insert.Parameters.AddWithValue("@type", groupType);
            insert.Parameters.AddWithValue("@count", members.Count);
            insert.Parameters.AddWithValue("@now", now);
            await insert.ExecuteNonQueryAsync(ct);
            var groupId = checked((uint)insert.LastInsertedId);

            await using var rows = new MySqlCommand { Connection = connection, Transaction = transaction };
            var sql = new StringBuilder("INSERT INTO IMGroupMember (groupId, userId, status, created, updated) VALUES ");
            rows.Parameters.AddWithValue("@g", groupId);
            rows.Parameters.AddWithValue("@now", now);
            for (var i = 0; i < members.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@g,@u{i},0,@now,@now)");
                rows.Parameters.AddWithValue($"@u{i}", members[i]);
            }

            rows.CommandText = sql.ToString();
            await rows.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            LogGroupCreated(name, groupId, members.Count);
            return groupId;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    /// <summary>Returns the id of the department named <paramref name="name"/> (status 0), creating it if missing.</summary>
    public async Task<int> EnsureDepartmentAsync(string name, uint parentId = 0, uint priority = 0, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64)
        {
            throw new ArgumentException("Department names have at most 64 characters.", nameof(name));
        }

        await using var connection = await OpenAsync(ct);
        await LockAsync(connection, ct);
        try
        {
            await using (var find = new MySqlCommand(
                             "SELECT id FROM IMDepart WHERE departName = @name AND status = 0 ORDER BY id LIMIT 1", connection))
            {
                find.Parameters.AddWithValue("@name", name);
                var found = await find.ExecuteScalarAsync(ct);
                if (found is not null and not DBNull)
                {
                    return Convert.ToInt32(found, CultureInfo.InvariantCulture);
                }
            }

            await using var insert = new MySqlCommand("""
                INSERT INTO IMDepart (departName, priority, parentId, status, created, updated)
                VALUES (@name, @priority, @parent, 0, @now, @now)
                """, connection);
            insert.Parameters.AddWithValue("@name", name);
            insert.Parameters.AddWithValue("@priority", priority);
            insert.Parameters.AddWithValue("@parent", parentId);
            insert.Parameters.AddWithValue("@now", UnixNow());
            await insert.ExecuteNonQueryAsync(ct);
            var id = checked((int)insert.LastInsertedId);
            LogDepartmentCreated(name, id);
            return id;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    /// <summary>
    /// Ensures every user exists with the given password; returns their ids in input order.
    /// Existing users keep everything else (nick, department, status …).
    /// </summary>
    public async Task<uint[]> EnsureUsersAsync(IReadOnlyList<SeedUser> users, uint departId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(users);
        Validate(users);
        if (users.Count == 0)
        {
            return [];
        }

        var stopwatch = Stopwatch.StartNew();
        await using var connection = await OpenAsync(ct);
        await LockAsync(connection, ct);
        try
        {
            var names = users.Select(u => u.Name).ToList();
            var existing = await FindAsync(connection, names, ct);
            var now = UnixNow();

            var toInsert = new List<SeedUser>();
            var toFix = new List<(uint Id, SeedUser User)>();
            foreach (var user in users)
            {
                if (existing.TryGetValue(user.Name, out var row))
                {
                    if (!TeamTalkPassword.Verify(TeamTalkPassword.ClientHash(user.Password), row.Salt, row.Password))
                    {
                        toFix.Add((row.Id, user));
                    }
                }
                else
                {
                    toInsert.Add(user);
                }
            }

            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                foreach (var (id, user) in toFix)
                {
                    var salt = TeamTalkPassword.NewSalt();
                    await using var update = new MySqlCommand(
                        "UPDATE IMUser SET password = @password, salt = @salt, updated = @now WHERE id = @id", connection, transaction);
                    update.Parameters.AddWithValue("@password", TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash(user.Password), salt));
                    update.Parameters.AddWithValue("@salt", salt);
                    update.Parameters.AddWithValue("@now", now);
                    update.Parameters.AddWithValue("@id", id);
                    await update.ExecuteNonQueryAsync(ct);
                }

                foreach (var batch in toInsert.Chunk(BatchSize))
                {
                    await InsertBatchAsync(connection, transaction, batch, departId, now, ct);
                }

                await transaction.CommitAsync(ct);
            }

            if (toInsert.Count > 0)
            {
                var created = await FindAsync(connection, toInsert.Select(u => u.Name).ToList(), ct);
                foreach (var (name, row) in created)
                {
                    existing[name] = row;
                }
            }

            var ids = new uint[users.Count];
            for (var i = 0; i < users.Count; i++)
            {
                ids[i] = existing.TryGetValue(users[i].Name, out var row)
                    ? row.Id
                    : throw new InvalidOperationException($"User '{users[i].Name}' was not found after inserting it.");
            }

            LogUsersEnsured(users.Count, toInsert.Count, toFix.Count, users.Count - toInsert.Count - toFix.Count, stopwatch.ElapsedMilliseconds);
            return ids;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    private static void Validate(IReadOnlyList<SeedUser> users)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            ArgumentNullException.ThrowIfNull(user, nameof(users));
            if (string.IsNullOrEmpty(user.Name) || user.Name.Length > 32)
            {
                throw new ArgumentException($"User name '{user.Name}' must have 1..32 characters.", nameof(users));
            }

            if (user.Password is null || user.Nick is null || user.Nick.Length > 32)
            {
                throw new ArgumentException($"User '{user.Name}': password is required and nick has at most 32 characters.", nameof(users));
            }

            if (user.Domain.Length > 32 || user.Phone.Length > 11 || user.Email.Length > 64 || user.Avatar.Length > 255 || user.SignInfo.Length > 128)
            {
                throw new ArgumentException($"User '{user.Name}': a field is longer than its IMUser column.", nameof(users));
            }

            if (!seen.Add(user.Name))
            {
                throw new ArgumentException($"User name '{user.Name}' appears twice.", nameof(users));
            }
        }
    }

    private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (MySqlException ex)
        {
            await connection.DisposeAsync();
            var cs = new MySqlConnectionStringBuilder(_connectionString);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot connect to MySQL server {cs.Server}:{cs.Port} (database '{cs.Database}'): {ex.Message}"), ex);
        }
    }

    private static async Task LockAsync(MySqlConnection connection, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT GET_LOCK(@name, 120)", connection);
        command.Parameters.AddWithValue("@name", LockName);
        command.CommandTimeout = 150;
        var result = await command.ExecuteScalarAsync(ct);
        if (result is null or DBNull || Convert.ToInt64(result, CultureInfo.InvariantCulture) != 1)
        {
            throw new InvalidOperationException($"Could not take the seeding lock '{LockName}' within 120 s.");
        }
    }

    private async Task UnlockAsync(MySqlConnection connection)
    {
        try
        {
            await using var command = new MySqlCommand("SELECT RELEASE_LOCK(@name)", connection);
            command.Parameters.AddWithValue("@name", LockName);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (MySqlException ex)
        {
            LogUnlockFailed(ex);
        }
    }

    private readonly record struct ExistingUser(uint Id, string Password, string Salt);

    /// <summary>Existing users by exact name. Names are not unique in the original schema: the highest id wins.</summary>
    private static async Task<Dictionary<string, ExistingUser>> FindAsync(MySqlConnection connection, List<string> names, CancellationToken ct)
    {
        var result = new Dictionary<string, ExistingUser>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(BatchSize))
        {
            var sql = new StringBuilder("SELECT id, name, password, salt FROM IMUser WHERE name IN (");
            await using var command = new MySqlCommand { Connection = connection };
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "@n" : ", @n").Append(i.ToString(CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("@n" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
            }

            command.CommandText = sql.Append(") ORDER BY id").ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetString(1)] = new ExistingUser(
                    Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(2), reader.GetString(3));
            }
        }

        return result;
    }

    private static async Task InsertBatchAsync(MySqlConnection connection, MySqlTransaction transaction, SeedUser[] batch,
        uint departId, uint now, CancellationToken ct)
    {
        var sql = new StringBuilder("""
            INSERT INTO IMUser (sex, name, domain, nick, password, salt, phone, email, avatar, departId, status,
                                created, updated, push_shield_status, sign_info)
            VALUES
            """);
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        command.Parameters.AddWithValue("@depart", departId);
        command.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < batch.Length; i++)
        {
            var user = batch[i];
            var p = i.ToString(CultureInfo.InvariantCulture);
            var salt = TeamTalkPassword.NewSalt();
            sql.Append(i == 0 ? "\n(" : ",\n(")
                .Append("@sx").Append(p).Append(", @nm").Append(p).Append(", @dm").Append(p).Append(", @nk").Append(p)
                .Append(", @pw").Append(p).Append(", @sl").Append(p).Append(", @ph").Append(p).Append(", @em").Append(p)
                .Append(", @av").Append(p).Append(", @depart, 0, @now, @now, 0, @si").Append(p).Append(')');
            command.Parameters.AddWithValue("@sx" + p, user.Sex);
            command.Parameters.AddWithValue("@nm" + p, user.Name);
            command.Parameters.AddWithValue("@dm" + p, user.Domain);
            command.Parameters.AddWithValue("@nk" + p, user.Nick);
            command.Parameters.AddWithValue("@pw" + p, TeamTalkPassword.HashForStorage(TeamTalkPassword.ClientHash(user.Password), salt));
            command.Parameters.AddWithValue("@sl" + p, salt);
            command.Parameters.AddWithValue("@ph" + p, user.Phone);
            command.Parameters.AddWithValue("@em" + p, user.Email);
            command.Parameters.AddWithValue("@av" + p, user.Avatar);
            command.Parameters.AddWithValue("@si" + p, user.SignInfo);
        }

        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Created group '{Name}' (id {Id}) with {Members} members")]
    private partial void LogGroupCreated(string name, uint id, int members);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Created department '{Name}' (id {Id})")]
    private partial void LogDepartmentCreated(string name, int id);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Ensured {Total} users: {Created} created, {PasswordReset} password reset, {Unchanged} unchanged, {ElapsedMs} ms")]
    private partial void LogUsersEnsured(int total, int created, int passwordReset, int unchanged, long elapsedMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Releasing the seeding lock failed (closing the connection releases it)")]
    private partial void LogUnlockFailed(Exception exception);
}
