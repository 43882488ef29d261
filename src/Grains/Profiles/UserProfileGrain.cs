using Microsoft.Extensions.Logging;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Data.Users;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Routing;

namespace TeamTalk.Orleans.Grains.Profiles;

/// <summary>
/// Owns a user's client-changeable profile fields (see <see cref="IUserProfileGrain"/>). A grain of its own rather
/// than the <see cref="IOrgDirectoryGrain"/> (a stateless worker: two changes of one user could be written in one
/// order and announced in the other) or the User grain (which serves logins and kicks and would be held up by a
/// database write and an organisation-wide broadcast). Nothing is kept in memory: the row is the truth. The Login grain
/// of the user's name keeps the row for logins: every write here tells it (<see cref="ILoginGrain.ForgetUserAsync"/>)
/// after committing and before returning, so the next login sees the change.
/// </summary>
public sealed partial class UserProfileGrain(ProfileStore store, UserAdminStore admin, UserStore users, GatewayRouter router, ILogger<UserProfileGrain> logger)
    : Grain, IUserProfileGrain
{
    private uint UserId => (uint)this.GetPrimaryKeyLong();

    public async Task<bool> ChangeSignInfoAsync(string signInfo)
    {
        ArgumentNullException.ThrowIfNull(signInfo);
        if (!Fits(signInfo, ProfileLimits.SignInfo, "sign_info"))
        {
            return false;
        }

        var name = await users.FindNameAsync(UserId);
        if (name is null || !await store.SetSignInfoAsync(UserId, signInfo))
        {
            LogNoRow(UserId, "sign_info");
            return false;
        }

        await ForgetLoginAsync(name);

        await BroadcastAsync(new SignInfoChangedPush(UserId, signInfo));
        return true;
    }

    public async Task<bool> ChangeAvatarAsync(string avatarUrl)
    {
        ArgumentNullException.ThrowIfNull(avatarUrl);
        if (!Fits(avatarUrl, ProfileLimits.Avatar, "avatar"))
        {
            return false;
        }

        var name = await users.FindNameAsync(UserId);
        if (name is null || !await store.SetAvatarAsync(UserId, avatarUrl))
        {
            LogNoRow(UserId, "avatar");
            return false;
        }

        await ForgetLoginAsync(name);

        await BroadcastAsync(new AvatarChangedPush(UserId, avatarUrl));
        return true;
    }

    public async Task<AdminWriteResult> UpdateAsync(UserUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var refusal = UserFields.Check(update)
            ?? (update.DepartmentId is { } department && !await admin.DepartmentExistsAsync(department) ? "departmentId: no such department" : null);
        if (refusal is not null)
        {
            LogUpdateRefused(UserId, refusal);
            return AdminWriteResult.Invalid(refusal);
        }

        if (update.Name is { } name && await admin.FindOtherByNameAsync(name, UserId) is var other and not 0)
        {
            LogUpdateRefused(UserId, $"the name is user {other}'s");
            return AdminWriteResult.Duplicate;
        }

        var oldName = await users.FindNameAsync(UserId);
        if (oldName is null || !await admin.UpdateAsync(UserId, update))
        {
            return AdminWriteResult.NotFound;
        }

        LogUpdated(UserId, update.Status);
        await ForgetLoginAsync(oldName);
        if (update.Name is { } newName && !string.Equals(newName, oldName, StringComparison.Ordinal))
        {
            await ForgetLoginAsync(newName);
        }

        if (update.Status == UserFields.StatusLeft)
        {
            await GrainFactory.GetUserGrain(UserId).KickAllAsync();
        }

        if (update.SignInfo is { } signInfo)
        {
            await BroadcastAsync(new SignInfoChangedPush(UserId, signInfo));
        }

        if (update.Avatar is { } avatar)
        {
            await BroadcastAsync(new AvatarChangedPush(UserId, avatar));
        }

        return AdminWriteResult.Done(UserId);
    }

    /// <summary>True when <paramref name="value"/> fits its column (<paramref name="max"/> code points); a refusal is logged.</summary>
    private bool Fits(string value, int max, string column)
    {
        if (value.Length <= max)
        {
            return true; // at most max UTF-16 units: at most max code points
        }

        var length = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            if (++length > max)
            {
                LogTooLong(UserId, column, value.Length, max);
                return false;
            }
        }

        return true;
    }

    /// <summary>The Login grain of <paramref name="name"/> drops the row it keeps: the next login of the name reads the change.</summary>
    private Task ForgetLoginAsync(string name) => GrainFactory.GetLoginGrain(name).ForgetUserAsync();

    /// <summary>Everyone in the organisation sees everyone: one call per live gateway, which pushes to all its logged-in connections.</summary>
    private async Task BroadcastAsync(ClientPush push)
    {
        var routes = await router.GetRoutesAsync();
        await router.CallAsync(routes.Keys, async observer =>
        {
            await observer.PushToAllAsync(push);
            return true;
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Column} change refused, {Length} UTF-16 units is more than the column's {Max} characters; nothing written")]
    private partial void LogTooLong(uint userId, string column, int length, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: changed by the back-office (status {Status})")]
    private partial void LogUpdated(uint userId, uint? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: back-office change refused: {Reason}")]
    private partial void LogUpdateRefused(uint userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Column} change refused, no IMUser row has this id")]
    private partial void LogNoRow(uint userId, string column);
}
