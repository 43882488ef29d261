using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Sign info (behaviour.md 3.6.8) and avatar changes (3.6.6, defect 30) over real TCP on two gateways: the requester's
/// reply (seq echo), the notify on every connection of the organisation (another user's PC and mobile on the other
/// gateway, the requester's own connections), the next incremental all-users sync carrying the change, and refusals.
/// </summary>
[Collection(DirectoryClusterCollection.Name)]
public sealed class ProfileTests(DirectoryClusterFixture fixture)
{
    [Fact]
    public async Task A_sign_info_change_is_answered_notified_everywhere_and_in_the_next_all_users_sync()
    {
        var users = await fixture.SeedAsync("signer", "signwatch");
        var (signer, watcher) = (users[0], users[1]);
        await using var signerPc = await Clients.LoginAsync(fixture.G0, signer.Name, ClientType.Windows);
        await using var signerPhone = await Clients.LoginAsync(fixture.G1, signer.Name, ClientType.Android);
        await using var watcherPc = await Clients.LoginAsync(fixture.G1, watcher.Name, ClientType.Mac);
        await using var watcherPhone = await Clients.LoginAsync(fixture.G1, watcher.Name, ClientType.Ios);
        var synced = await AllUsersAsync(watcherPc, 0);
        const string signInfo = "gone fishing 🎣";

        // The grain announces the change before it answers, so the notify is queued on the requesting connection
        // (and every other one) before the reply.
        var before = new List<ReceivedFrame>();
        var reply = await Chat.RequestAsync<IMChangeSignInfoRsp>(
            signerPc, CommandKeys.ChangeSignInfoRequest, new IMChangeSignInfoReq { UserId = 0, SignInfo = signInfo }, CommandKeys.ChangeSignInfoResponse, before);

        Assert.Equal((signer.Id, 0u, signInfo), (reply.UserId, reply.ResultCode, reply.SignInfo));
        Assert.True(before.Any(SignInfoNotify(signer.Id, signInfo)), "the requesting connection gets the notify too, before its reply");
        foreach (var client in new[] { signerPhone, watcherPc, watcherPhone })
        {
            await Markers.UntilAsync(client, SignInfoNotify(signer.Id, signInfo), "sign info notify");
        }

        var changed = await AllUsersAsync(watcherPc, synced.LatestUpdateTime);
        var listed = Assert.Single(changed.UserList, u => u.UserId == signer.Id);
        Assert.Equal(signInfo, listed.SignInfo);
        Assert.True(changed.LatestUpdateTime >= synced.LatestUpdateTime);
    }

    [Fact]
    public async Task An_avatar_change_is_answered_notified_everywhere_and_in_the_next_all_users_sync()
    {
        var users = await fixture.SeedAsync("avatar", "avatarwatch");
        var (changer, watcher) = (users[0], users[1]);
        await using var changerPc = await Clients.LoginAsync(fixture.G0, changer.Name, ClientType.Mac);
        await using var watcherPc = await Clients.LoginAsync(fixture.G1, watcher.Name, ClientType.Windows);
        await using var watcherPhone = await Clients.LoginAsync(fixture.G1, watcher.Name, ClientType.Android);
        var synced = await AllUsersAsync(watcherPhone, 0);
        const string avatar = "https://example.org/avatars/new.png";

        var before = new List<ReceivedFrame>();
        var reply = await Chat.RequestAsync<IMChangeAvatarRsp>(
            changerPc, CommandKeys.ChangeAvatarRequest, new IMChangeAvatarReq { UserId = 0, AvatarUrl = avatar }, CommandKeys.ChangeAvatarResponse, before);

        Assert.Equal((changer.Id, 0u), (reply.UserId, reply.ResultCode));
        Assert.True(before.Any(AvatarNotify(changer.Id, avatar)), "the requesting connection gets the notify too, before its reply");
        foreach (var client in new[] { watcherPc, watcherPhone })
        {
            await Markers.UntilAsync(client, AvatarNotify(changer.Id, avatar), "avatar notify");
        }

        var changed = await AllUsersAsync(watcherPhone, synced.LatestUpdateTime);
        Assert.Equal(avatar, Assert.Single(changed.UserList, u => u.UserId == changer.Id).AvatarUrl);
    }

    [Fact]
    public async Task Changes_longer_than_their_column_are_answered_with_failure_and_nothing_changes()
    {
        var users = await fixture.SeedAsync("toolong", "toolongwatch");
        var (changer, watcher) = (users[0], users[1]);
        await using var changerPc = await Clients.LoginAsync(fixture.G0, changer.Name, ClientType.Windows);
        await using var watcherPhone = await Clients.LoginAsync(fixture.G1, watcher.Name, ClientType.Ios);
        var updated = await fixture.ScalarAsync("SELECT updated FROM IMUser WHERE id = @id", ("@id", changer.Id));

        var signBefore = new List<ReceivedFrame>();
        var sign = await Chat.RequestAsync<IMChangeSignInfoRsp>(
            changerPc, CommandKeys.ChangeSignInfoRequest, new IMChangeSignInfoReq { UserId = changer.Id, SignInfo = new string('s', 129) }, CommandKeys.ChangeSignInfoResponse, signBefore);
        var avatarBefore = new List<ReceivedFrame>();
        var avatar = await Chat.RequestAsync<IMChangeAvatarRsp>(
            changerPc, CommandKeys.ChangeAvatarRequest, new IMChangeAvatarReq { UserId = changer.Id, AvatarUrl = new string('a', 256) }, CommandKeys.ChangeAvatarResponse, avatarBefore);

        Assert.Equal((changer.Id, 1u, false), (sign.UserId, sign.ResultCode, sign.HasSignInfo));
        Assert.Equal((changer.Id, 1u), (avatar.UserId, avatar.ResultCode));
        Assert.False(signBefore.Concat(avatarBefore).Any(AnyProfileNotify(changer.Id)), "a refused change is not notified");

        // A change would have been queued on every connection before its reply; the round trip on the watcher's
        // connection comes after anything queued there by then.
        await Markers.AssertNoneBeforeRoundTripAsync(watcherPhone, AnyProfileNotify(changer.Id), "refused profile changes");
        Assert.Equal(0u, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM IMUser WHERE id = @id AND (sign_info <> '' OR COALESCE(avatar, '') <> '' OR updated <> @u)",
            ("@id", changer.Id), ("@u", updated)));
    }

    private static Func<ReceivedFrame, bool> SignInfoNotify(uint user, string signInfo) => frame =>
        frame.Command == CommandKeys.SignInfoChangedNotify && frame.Header.SeqNum == 0
        && frame.Parse<IMSignInfoChangedNotify>() is var notify && notify.ChangedUserId == user && notify.SignInfo == signInfo;

    private static Func<ReceivedFrame, bool> AvatarNotify(uint user, string avatar) => frame =>
        frame.Command == CommandKeys.AvatarChangedNotify && frame.Header.SeqNum == 0
        && frame.Parse<IMAvatarChangedNotify>() is var notify && notify.ChangedUserId == user && notify.AvatarUrl == avatar;

    private static Func<ReceivedFrame, bool> AnyProfileNotify(uint user) => frame =>
        (frame.Command == CommandKeys.SignInfoChangedNotify && frame.Parse<IMSignInfoChangedNotify>().ChangedUserId == user)
        || (frame.Command == CommandKeys.AvatarChangedNotify && frame.Parse<IMAvatarChangedNotify>().ChangedUserId == user);

    private static Task<IMAllUserRsp> AllUsersAsync(TeamTalkClient client, uint since) =>
        Chat.RequestAsync<IMAllUserRsp>(client, CommandKeys.AllUserRequest, new IMAllUserReq { UserId = 0, LatestUpdateTime = since }, CommandKeys.AllUserResponse);
}
