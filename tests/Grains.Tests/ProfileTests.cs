using System.Globalization;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// Sign info and avatar changes: written to <c>IMUser</c> with <c>updated</c> moved to now, announced once to every
/// live gateway (which fans out to all its connections), refused when longer than the column, with nothing written.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ProfileTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_sign_info_change_is_written_and_broadcast_once_to_every_gateway()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var before = await DatabaseNowAsync();
        var signInfo = string.Concat(Enumerable.Repeat("🌍", ProfileLimits.SignInfo)); // 128 characters, 256 UTF-16 units

        Assert.True(await cluster.Grains.GetGrain<IUserProfileGrain>(user).ChangeSignInfoAsync(signInfo));

        var (stored, updated) = await RowAsync(user, "sign_info");
        Assert.Equal(signInfo, stored);
        Assert.InRange(updated, before, await DatabaseNowAsync());
        await AssertBroadcastOnceAsync(new SignInfoChangedPush(user, signInfo));
    }

    [Fact]
    public async Task An_avatar_change_is_written_and_broadcast_once_to_every_gateway()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var before = await DatabaseNowAsync();
        var avatar = "https://example.org/" + new string('a', ProfileLimits.Avatar - 20);

        Assert.True(await cluster.Grains.GetGrain<IUserProfileGrain>(user).ChangeAvatarAsync(avatar));

        var (stored, updated) = await RowAsync(user, "avatar");
        Assert.Equal(avatar, stored);
        Assert.InRange(updated, before, await DatabaseNowAsync());
        await AssertBroadcastOnceAsync(new AvatarChangedPush(user, avatar));
    }

    [Fact]
    public async Task Values_longer_than_their_column_are_refused_and_nothing_is_written_or_broadcast()
    {
        var user = (await cluster.NewUsersAsync(1))[0];
        var grain = cluster.Grains.GetGrain<IUserProfileGrain>(user);

        Assert.False(await grain.ChangeSignInfoAsync(new string('s', ProfileLimits.SignInfo + 1)));
        Assert.False(await grain.ChangeSignInfoAsync(string.Concat(Enumerable.Repeat("🌍", ProfileLimits.SignInfo + 1))));
        Assert.False(await grain.ChangeAvatarAsync(new string('a', ProfileLimits.Avatar + 1)));

        Assert.Equal((string.Empty, 0u), await RowAsync(user, "sign_info"));
        Assert.Equal((string.Empty, 0u), await RowAsync(user, "avatar"));
        Assert.False(cluster.GatewayA.HasAllBroadcast(user) || cluster.GatewayB.HasAllBroadcast(user));
    }

    [Fact]
    public async Task A_change_for_a_user_without_a_row_is_refused_and_not_broadcast()
    {
        const uint missing = 3_999_999_999;

        Assert.False(await cluster.Grains.GetGrain<IUserProfileGrain>(missing).ChangeSignInfoAsync("hello"));

        Assert.False(cluster.GatewayA.HasAllBroadcast(missing) || cluster.GatewayB.HasAllBroadcast(missing));
    }

    /// <summary>
    /// The grain returns only after its observer calls ended, so each gateway already holds what it got: exactly one
    /// broadcast, the expected one.
    /// </summary>
    private async Task AssertBroadcastOnceAsync(ClientPush expected)
    {
        var user = expected switch
        {
            SignInfoChangedPush s => s.UserId,
            AvatarChangedPush a => a.UserId,
            _ => throw new ArgumentOutOfRangeException(nameof(expected)),
        };
        foreach (var gateway in new[] { cluster.GatewayA, cluster.GatewayB })
        {
            Assert.Equal(expected, await gateway.NextAllBroadcastAsync(user));
            Assert.False(gateway.HasAllBroadcast(user), $"gateway {gateway.Id} got the change more than once");
        }
    }

    private async Task<uint> DatabaseNowAsync() =>
        Convert.ToUInt32(await cluster.Database.ScalarAsync("SELECT UNIX_TIMESTAMP()"), CultureInfo.InvariantCulture);

    private async Task<(string Value, uint Updated)> RowAsync(uint user, string column)
    {
        var sql = column == "avatar" ? "SELECT avatar FROM IMUser WHERE id = @id" : "SELECT sign_info FROM IMUser WHERE id = @id";
        var value = (string?)await cluster.Database.ScalarAsync(sql, ("@id", user));
        var updated = Convert.ToUInt32(await cluster.Database.ScalarAsync("SELECT updated FROM IMUser WHERE id = @id", ("@id", user)), CultureInfo.InvariantCulture);
        return (value ?? string.Empty, updated);
    }
}
