using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Login;

/// <summary>
/// One per login name: validates a login against <c>IMUser</c> (stored password = md5(client md5 hex + salt)) and keeps
/// the failure limiter, whose attempts are rows of <c>TeamTalkLoginFailure</c> so that it survives silo restarts and
/// moves. The activation's first attempt reads the name's rows and its recent failures in one round trip; the row it
/// read answers later logins for <see cref="LoginLimiterOptions.UserCacheTime"/>: a repeat login reads nothing from
/// MySQL. Writers of the row tell the grain (<see cref="ILoginGrain.ForgetUserAsync"/>), and a login the kept row
/// refuses reads the row again.
/// </summary>
public sealed partial class LoginGrain(
    UserStore users,
    UserAdminStore admin,
    IOptions<LoginLimiterOptions> limiterOptions,
    TimeProvider time,
    Diagnostics.SiloFaults faults,
    ILogger<LoginGrain> logger) : Grain, ILoginGrain
{
    private readonly LoginLimiterOptions limiter = limiterOptions.Value;

    /// <summary>The row a login last read (the newest of this name), and when; kept <see cref="LoginLimiterOptions.UserCacheTime"/>.</summary>
    private UserRecord? cached;
    private DateTimeOffset cachedAt;

    /// <summary>Failed attempts within the window (Unix ms, oldest first); null until the activation's first attempt read them.</summary>
    private List<long>? failures;

    private string UserName => this.GetPrimaryKeyString()[GrainFactoryExtensions.LoginKeyPrefix.Length..];

    public async Task<LoginResult> LoginAsync(string passwordMd5)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var windowStart = nowMs - (long)limiter.Window.TotalMilliseconds;
        UserRecord? user;
        bool fresh;
        if (failures is null)
        {
            // The activation's first attempt: the name's rows and its failures in one round trip.
            var read = await ReadAsync(name => users.ReadLoginAsync(name, windowStart), r => r.Users, now);
            if (read is null)
            {
                return LoginResult.Failed(LoginOutcome.DatabaseUnavailable);
            }

            failures = read.Failures;
            user = Newest(read.Users);
            fresh = true;
        }
        else
        {
            user = CachedUser(now);
            fresh = false;
        }

        var pruned = failures.RemoveAll(f => f <= windowStart);
        if (failures.Count > limiter.MaxFailures)
        {
            LogBlocked(UserName, failures.Count);
            if (pruned > 0)
            {
                await ForgetFailuresAsync(windowStart);
            }

            return LoginResult.Failed(LoginOutcome.TooManyFailures);
        }

        if (!fresh && user is not null && Accepts(user, passwordMd5))
        {
            // design.md: with MariaDB down logins are refused, even those the kept row would let in (a ping, no read).
            if (!await DatabaseAnswersAsync())
            {
                return LoginResult.Failed(LoginOutcome.DatabaseUnavailable);
            }
        }
        else
        {
            if (!fresh)
            {
                // Nothing cached, or the cached row refuses: the row decides (a password replaced outside this server works at once).
                var rows = await ReadAsync(name => users.FindByNameAsync(name), r => r, now);
                if (rows is null)
                {
                    return LoginResult.Failed(LoginOutcome.DatabaseUnavailable);
                }

                user = Newest(rows);
            }

            if (user is null || !Accepts(user, passwordMd5))
            {
                failures.Add(nowMs);
                await RecordFailureAsync(nowMs);
                LogFailed(UserName, failures.Count, user is null ? "unknown name" : user.Status == UserStore.StatusLeft ? "user left" : "wrong password");
                return LoginResult.Failed(LoginOutcome.WrongCredentials);
            }
        }

        if (failures.Count > 0 || pruned > 0)
        {
            failures.Clear();
            await ForgetFailuresAsync(long.MaxValue);
        }

        return LoginResult.Succeeded(user.Profile);
    }

    public Task ForgetUserAsync()
    {
        cached = null;
        return Task.CompletedTask;
    }

    public async Task<AdminWriteResult> CreateUserAsync(NewUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var refusal = !string.Equals(user.Name, UserName, StringComparison.Ordinal) ? "name: not this grain's name"
            : UserFields.Check(user)
            ?? (await admin.DepartmentExistsAsync(user.DepartmentId) ? null : "departmentId: no such department");
        if (refusal is not null)
        {
            LogCreateRefused(UserName, refusal);
            return AdminWriteResult.Invalid(refusal);
        }

        if ((await users.FindByNameAsync(UserName)).Count > 0)
        {
            LogCreateRefused(UserName, "the name is taken");
            return AdminWriteResult.Duplicate;
        }

        var id = await admin.InsertAsync(user);
        cached = null;
        LogCreated(UserName, id);
        return AdminWriteResult.Done(id);
    }

    /// <summary>The row that wins when names repeat: candidates come newest first.</summary>
    private static UserRecord? Newest(IReadOnlyList<UserRecord> candidates) => candidates.Count > 0 ? candidates[0] : null;

    private static bool Accepts(UserRecord user, string passwordMd5) =>
        user.Status != UserStore.StatusLeft && TeamTalkPassword.Verify(passwordMd5, user.Salt, user.PasswordHash);

    private UserRecord? CachedUser(DateTimeOffset now) =>
        cached is not null && now - cachedAt < limiter.UserCacheTime ? cached : null;

    /// <summary>True when MariaDB answers a ping; an outage is logged once, then counted.</summary>
    private async Task<bool> DatabaseAnswersAsync()
    {
        Exception? failure;
        try
        {
            failure = await users.PingAsync() ? null : new InvalidOperationException("MariaDB did not answer a ping");
        }
        catch (DbException ex)
        {
            failure = ex;
        }

        if (failure is null)
        {
            faults.LoginReads.Recovered();
            return true;
        }

        if (faults.LoginReads.Record(failure))
        {
            LogDatabaseUnavailable(failure, UserName);
        }

        return false;
    }

    /// <summary>Stores a failed attempt (see <see cref="WriteFailuresAsync"/>).</summary>
    private Task RecordFailureAsync(long atMs) => WriteFailuresAsync(name => users.AddLoginFailureAsync(name, atMs));

    /// <summary>Deletes the stored failures at or before <paramref name="upToMs"/> (see <see cref="WriteFailuresAsync"/>).</summary>
    private Task ForgetFailuresAsync(long upToMs) => WriteFailuresAsync(name => users.DeleteLoginFailuresAsync(name, upToMs));

    /// <summary>
    /// One write of the name's stored failures. A write that fails leaves the activation's count right (it is kept in
    /// memory) and is logged once per outage, then counted: a failure not stored is forgotten by the next activation,
    /// one not deleted is read back only while it is inside the window. Names longer than the column are limited in
    /// memory only (no <c>IMUser</c> row has one).
    /// </summary>
    private async Task WriteFailuresAsync(Func<string, Task> write)
    {
        if (UserName.Length > UserStore.MaxStoredName)
        {
            return;
        }

        try
        {
            await write(UserName);
        }
        catch (DbException ex)
        {
            if (faults.LoginReads.Record(ex))
            {
                LogFailureNotStored(ex, UserName);
            }
        }
    }

    /// <summary>
    /// One read of the name's rows through <paramref name="read"/> (alone, or with its failures), keeping the newest
    /// (<see cref="Newest"/>); null when the database could not be reached (logged once per outage, then counted).
    /// </summary>
    private async Task<T?> ReadAsync<T>(Func<string, Task<T>> read, Func<T, IReadOnlyList<UserRecord>> rows, DateTimeOffset now)
        where T : class
    {
        T result;
        try
        {
            result = await read(UserName);
        }
        catch (DbException ex)
        {
            if (faults.LoginReads.Record(ex))
            {
                LogDatabaseUnavailable(ex, UserName);
            }

            return null;
        }

        faults.LoginReads.Recovered();
        cached = limiter.UserCacheTime > TimeSpan.Zero ? Newest(rows(result)) : null;
        cachedAt = now;
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} created by the back-office with id {UserId}")]
    private partial void LogCreated(string userName, uint userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-office creation of user {UserName} refused: {Reason}")]
    private partial void LogCreateRefused(string userName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login of {UserName} refused: {Failures} recent failures")]
    private partial void LogBlocked(string userName, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Login of {UserName} failed ({Reason}); {Failures} recent failures")]
    private partial void LogFailed(string userName, int failures, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Login of {UserName}: a failed attempt could not be stored or cleared; it counts in this activation only")]
    private partial void LogFailureNotStored(Exception exception, string userName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Login of {UserName}: database unavailable")]
    private partial void LogDatabaseUnavailable(Exception exception, string userName);
}
