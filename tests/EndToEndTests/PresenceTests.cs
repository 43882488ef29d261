using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Presence notifications (behaviour.md 3.2.2) across two gateways: <c>CID_BUDDY_LIST_STATUS_NOTIFY</c> to every PC
/// connection when a user's PC comes or goes, never to mobiles; <c>CID_BUDDY_LIST_PC_LOGIN_STATUS_NOTIFY</c> to the
/// user's own mobiles; a PC lost with its gateway goes offline too.
/// </summary>
[Collection(DirectoryClusterCollection.Name)]
public sealed class PresenceTests(DirectoryClusterFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task A_pc_login_is_announced_online_to_pc_connections_on_every_gateway_but_not_to_mobiles_and_its_logout_offline()
    {
        var users = await fixture.SeedAsync("stw", "stm", "sts");
        var (watcher, mobileOnly, subject) = (users[0], users[1], users[2]);
        await using var watcherPc = await Clients.LoginAsync(fixture.G0, watcher.Name, ClientType.Windows);
        await using var watcherPhone = await Clients.LoginAsync(fixture.G1, watcher.Name, ClientType.Android);
        await using var mobileClient = await Clients.LoginAsync(fixture.G0, mobileOnly.Name, ClientType.Ios);

        // The subject's PC (on the other gateway) sees its login reply first, then its own ONLINE like every PC.
        await using var subjectPc = await Clients.ConnectAsync(fixture.G1);
        var loginSeq = await subjectPc.SendAsync(CommandKeys.LoginRequest, LoginRequest(subject.Name, ClientType.Mac));
        var first = await subjectPc.ReceiveAsync(Clients.Reply);
        Assert.NotNull(first);
        Assert.Equal(CommandKeys.LoginResponse, first.Command);
        Assert.Equal(loginSeq, first.Header.SeqNum);
        Assert.Equal(ResultType.RefuseReasonNone, first.Parse<IMLoginRes>().ResultCode);
        Assert.Equal(UserStatType.UserStatusOnline, await StatusOfAsync(subjectPc, subject.Id));
        Assert.Equal(UserStatType.UserStatusOnline, await StatusOfAsync(watcherPc, subject.Id));

        // The user grain announces ONLINE on every gateway before the login is answered: a round trip on each mobile
        // after the subject's login reply comes after anything the announcement queued there.
        foreach (var mobile in new[] { watcherPhone, mobileClient })
        {
            await Markers.AssertNoneBeforeRoundTripAsync(mobile, Markers.Command(CommandKeys.UserStatusNotify), "the PC login");
        }

        var logoutSeq = await subjectPc.SendAsync(CommandKeys.LogoutRequest, new IMLogoutReq());
        var logout = await subjectPc.ReceiveAsync(CommandKeys.LogoutResponse, Clients.Reply);
        Assert.Equal(logoutSeq, logout?.Header.SeqNum);
        Assert.True(await subjectPc.WaitClosedAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(UserStatType.UserStatusOffline, await StatusOfAsync(watcherPc, subject.Id));

        // OFFLINE is announced on every gateway within one call of the subject's user grain (the close), already under
        // way since the watcher got it. The grain serves a login only after that call ended, so a round trip on each
        // mobile after the reply to a login of the subject's phone comes after anything the announcement queued there.
        await using var subjectPhone = await Clients.LoginAsync(fixture.G0, subject.Name, ClientType.Android);
        foreach (var mobile in new[] { watcherPhone, mobileClient })
        {
            await Markers.AssertNoneBeforeRoundTripAsync(mobile, Markers.Command(CommandKeys.UserStatusNotify), "the PC logout");
        }
    }

    [Fact]
    public async Task The_users_own_mobile_is_told_when_the_pc_comes_online_and_goes_offline()
    {
        var (name, id) = (await fixture.SeedAsync("pcls"))[0];
        await using var phone = await Clients.LoginAsync(fixture.G0, name, ClientType.Android);
        await Markers.AssertNoneBeforeRoundTripAsync(phone, Markers.Command(CommandKeys.PcLoginStatusNotify), "the phone's login"); // its login's pushes precede the round trip

        var pc = await Clients.LoginAsync(fixture.G1, name, ClientType.Windows);
        Assert.Equal(UserStatType.UserStatusOnline, await PcLoginStatusAsync(phone, id));
        await pc.DisposeAsync();
        Assert.Equal(UserStatType.UserStatusOffline, await PcLoginStatusAsync(phone, id));

        // A mobile that logs in while the PC is online is told so right after its login reply.
        await using var pcAgain = await Clients.LoginAsync(fixture.G0, name, ClientType.Mac);
        Assert.Equal(UserStatType.UserStatusOnline, await PcLoginStatusAsync(phone, id));
        await using var tablet = await Clients.ConnectAsync(fixture.G1);
        await tablet.SendAsync(CommandKeys.LoginRequest, LoginRequest(name, ClientType.Ios));
        var reply = await tablet.ReceiveAsync(Clients.Reply);
        Assert.Equal(CommandKeys.LoginResponse, reply?.Command);
        var next = await tablet.ReceiveAsync(Clients.Reply);
        Assert.NotNull(next);
        Assert.Equal(CommandKeys.PcLoginStatusNotify, next.Command);
        Assert.Equal(0, next.Header.SeqNum);
        var notify = next.Parse<IMPCLoginStatusNotify>();
        Assert.Equal((id, UserStatType.UserStatusOnline), (notify.UserId, notify.LoginStat));
        Assert.NotNull(await phone.ReceiveAsync(CommandKeys.KickUser, Clients.Reply)); // mobile kicks mobile
        await Markers.AssertNoneBeforeRoundTripAsync(tablet, Markers.Command(CommandKeys.UserStatusNotify), "the tablet's login"); // its login's pushes precede the round trip
    }

    [Fact]
    public async Task A_pc_lost_with_its_gateway_is_announced_offline_and_reported_offline()
    {
        var users = await fixture.SeedAsync("gw", "gs");
        var (watcher, subject) = (users[0], users[1]);
        var doomed = await fixture.Cluster.StartGatewayAsync();
        try
        {
            await using var watcherPc = await Clients.LoginAsync(fixture.G0, watcher.Name, ClientType.Windows);
            await using var subjectPhone = await Clients.LoginAsync(fixture.G1, subject.Name, ClientType.Android);
            var subjectPc = await Clients.LoginAsync(doomed, subject.Name, ClientType.Windows);
            Assert.Equal(UserStatType.UserStatusOnline, await StatusOfAsync(watcherPc, subject.Id));
            Assert.Equal(UserStatType.UserStatusOnline, await PcLoginStatusAsync(subjectPhone, subject.Id));

            doomed.Process.Kill();
            var within = TimeSpan.FromSeconds(30);
            Assert.Equal(UserStatType.UserStatusOffline, await StatusOfAsync(watcherPc, subject.Id, within));
            Assert.Equal(UserStatType.UserStatusOffline, await PcLoginStatusAsync(subjectPhone, subject.Id, within));
            var request = new IMUsersStatReq { UserId = 0 };
            request.UserIdList.Add(subject.Id);
            var status = await Chat.RequestAsync<IMUsersStatRsp>(watcherPc, CommandKeys.UsersStatusRequest, request, CommandKeys.UsersStatusResponse);
            Assert.Equal(UserStatType.UserStatusOffline, status.UserStatList.Single().Status);
            await subjectPc.DisposeAsync();
        }
        finally
        {
            if (!doomed.Process.HasExited)
            {
                doomed.Process.Kill();
            }
        }
    }

    private static IMLoginReq LoginRequest(string name, ClientType type) => new()
    {
        UserName = name,
        Password = TeamTalkClient.PasswordHash(TestDatabase.Password),
        OnlineStatus = UserStatType.UserStatusOnline,
        ClientType = type,
    };

    /// <summary>The next <c>IMUserStatNotify</c> about <paramref name="userId"/> (others skipped); asserts seq 0.</summary>
    private static async Task<UserStatType> StatusOfAsync(TeamTalkClient client, uint userId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Clients.Reply);
        while (DateTime.UtcNow < deadline)
        {
            var frame = await client.ReceiveAsync(CommandKeys.UserStatusNotify, deadline - DateTime.UtcNow);
            Assert.NotNull(frame);
            Assert.Equal(0, frame.Header.SeqNum);
            var stat = frame.Parse<IMUserStatNotify>().UserStat;
            if (stat.UserId == userId)
            {
                return stat.Status;
            }
        }

        Assert.Fail($"no status notify about user {userId}");
        return default;
    }

    /// <summary>The next <c>IMPCLoginStatusNotify</c> (it is only ever about the user's own PC); asserts seq 0 and the user.</summary>
    private static async Task<UserStatType> PcLoginStatusAsync(TeamTalkClient client, uint userId, TimeSpan? within = null)
    {
        var frame = await client.ReceiveAsync(CommandKeys.PcLoginStatusNotify, within ?? Clients.Reply);
        Assert.NotNull(frame);
        Assert.Equal(0, frame.Header.SeqNum);
        var notify = frame.Parse<IMPCLoginStatusNotify>();
        Assert.Equal(userId, notify.UserId);
        return notify.LoginStat;
    }

    /// <summary>
    /// Status notifies about <paramref name="userId"/> that arrive until the connection stays quiet. A bounded quiet
    /// window, because no marker exists here: a gateway tells the user grain of a closed connection after the close,
    /// with nothing a client can see, so nothing can be caused that is sure to come after its effect.
    /// </summary>
    private static async Task<List<UserStatType>> NotifiesAsync(TeamTalkClient client, uint userId) =>
        [.. (await Chat.DrainAsync(client, Quiet, TimeSpan.FromSeconds(10)))
            .Where(f => f.Command == CommandKeys.UserStatusNotify)
            .Select(f => f.Parse<IMUserStatNotify>().UserStat)
            .Where(s => s.UserId == userId)
            .Select(s => s.Status)];
}
