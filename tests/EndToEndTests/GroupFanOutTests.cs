using System.Diagnostics;
using Google.Protobuf;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;
using Xunit.Abstractions;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>Two silos and two gateways (production profile) with idle timeouts longer than the fan-out test.</summary>
public sealed class GroupFanOutFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync(production: true);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutMobile"] = "00:05:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>A group at size: 200 members, three quarters online on two gateways, 100 messages from several senders.</summary>
public sealed class GroupFanOutTests(GroupFanOutFixture fixture, ITestOutputHelper output) : IClassFixture<GroupFanOutFixture>
{
    private const int MemberCount = 200;
    private const int OnlineCount = 150;
    private const int WithPhoneCount = 40;
    private const int SenderCount = 10;
    private const int PerSender = 10;
    private const int Total = SenderCount * PerSender;
    private const int ConnectParallelism = 8;
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(45);

    private sealed record Device(uint UserId, TeamTalkClient Client, string Name);

    [Fact]
    public async Task Every_online_connection_gets_all_100_messages_in_id_order_and_offline_members_find_100_unread()
    {
        var clock = Stopwatch.StartNew();
        var names = Enumerable.Range(0, MemberCount).Select(i => $"fan{i:D3}").ToArray();
        var ids = await fixture.Cluster.Database.SeedUsersAsync(names);
        var (a, b) = (fixture.Cluster.Gateways[0], fixture.Cluster.Gateways[1]);

        // Members 0..149 online with a PC, on the gateways in turn; members 0..39 also with a phone on the other gateway.
        // Members 150..199 stay offline until the end.
        var plan = Enumerable.Range(0, OnlineCount).Select(i => (User: i, Gateway: i % 2 == 0 ? a : b, Type: ClientType.Windows))
            .Concat(Enumerable.Range(0, WithPhoneCount).Select(i => (User: i, Gateway: i % 2 == 0 ? b : a, Type: ClientType.Android)))
            .ToArray();
        var devices = new Device[plan.Length];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, plan.Length), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (k, _) =>
            {
                var (user, gateway, type) = plan[k];
                devices[k] = new Device(ids[user], await Clients.LoginAsync(gateway, names[user], type), $"{names[user]}/{type}");
            });
            output.WriteLine($"{devices.Length} connections logged in after {clock.Elapsed}");

            var creator = devices[0];
            var created = await Chat.RequestAsync<IMGroupCreateRsp>(creator.Client, CommandKeys.GroupCreateRequest, new IMGroupCreateReq
            {
                UserId = 0,
                GroupType = GroupType.Tmp,
                GroupName = "fan-out",
                GroupAvatar = string.Empty,
                MemberIdList = { ids },
            }, CommandKeys.GroupCreateResponse);
            Assert.Equal(0u, created.ResultCode);
            Assert.Equal(ids.Order(), created.UserIdList);
            var group = created.GroupId;
            output.WriteLine($"group {group} of {created.UserIdList.Count} created after {clock.Elapsed}");

            // Ten senders, ten messages each, all at once: half from their PCs, half from their phones (each of them has
            // the other device online too, which must get the sender's own messages). Ten frames per connection stay
            // under the gateway's limit of 20 per second.
            var senders = Enumerable.Range(0, SenderCount)
                .Select(i => i < SenderCount / 2 ? devices[i] : devices[OnlineCount + i])
                .ToArray();
            var sent = senders.ToDictionary(s => s, _ => new Dictionary<ushort, string>());
            var sendStarted = clock.Elapsed;
            await Task.WhenAll(senders.Select(async sender =>
            {
                for (var k = 0; k < PerSender; k++)
                {
                    var text = $"{sender.Name} #{k}";
                    var seq = await sender.Client.SendAsync(CommandKeys.MessageData, new IMMsgData
                    {
                        FromUserId = 0,
                        ToSessionId = group,
                        MsgId = 0,
                        CreateTime = 0,
                        MsgType = MsgType.GroupText,
                        MsgData = ByteString.CopyFromUtf8(text),
                    });
                    sent[sender][seq] = text;
                }
            }));

            // Each connection reads until it has 100 of the group's messages: pushes, plus the acks of its own sends.
            var deadline = DateTime.UtcNow + DeliveryDeadline;
            var received = await Task.WhenAll(devices.Select(d => CollectAsync(d, group, sent.GetValueOrDefault(d) ?? [], deadline)));
            output.WriteLine($"{Total} messages sent and delivered to every connection {clock.Elapsed - sendStarted} after the first send");

            // The acks: ids 1..100, one per message; they say who sent which id.
            var byId = new Dictionary<uint, (uint From, string Text)>();
            foreach (var (device, result) in devices.Zip(received))
            {
                foreach (var (seq, msgId) in result.Acks)
                {
                    Assert.True(byId.TryAdd(msgId, (device.UserId, sent[device][seq])), $"id {msgId} acknowledged twice");
                }
            }

            Assert.Equal(Enumerable.Range(1, Total).Select(i => (uint)i), byId.Keys.Order());

            foreach (var (device, result) in devices.Zip(received))
            {
                var own = result.Acks.Values.ToHashSet();
                Assert.True(result.Pushes.Count + own.Count == Total,
                    $"{device.Name} got {result.Pushes.Count} pushes and {own.Count} acks of {Total} within {DeliveryDeadline}");
                var pushed = result.Pushes.Select(p => p.MsgId).ToArray();
                Assert.True(pushed.Zip(pushed.Skip(1)).All(p => p.First < p.Second), $"{device.Name} got ids out of order: {string.Join(",", pushed)}");
                Assert.Equal(Enumerable.Range(1, Total).Select(i => (uint)i).Where(id => !own.Contains(id)), pushed);
                Assert.All(result.Pushes, p =>
                {
                    Assert.Equal((byId[p.MsgId].From, byId[p.MsgId].Text, MsgType.GroupText), (p.FromUserId, p.MsgData.ToStringUtf8(), p.MsgType));
                });
            }

            // Nothing more comes on any connection (no duplicate, no copy of a sender's own message): a round trip is
            // answered after every push its gateway had queued on the connection when the request arrived.
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (device, _) =>
                await Markers.AssertNoneBeforeRoundTripAsync(device.Client,
                    f => f.Command == CommandKeys.MessageData && f.Parse<IMMsgData>().ToSessionId == group, $"the 100 messages on {device.Name}"));

            // The offline members log in afterwards and find the group with 100 unread.
            var offline = Enumerable.Range(OnlineCount, MemberCount - OnlineCount).ToArray();
            await Parallel.ForEachAsync(offline, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (user, _) =>
            {
                await using var late = await Clients.LoginAsync(user % 2 == 0 ? a : b, names[user], user % 3 == 0 ? ClientType.Ios : ClientType.Mac);
                var unread = await Chat.RequestAsync<IMUnreadMsgCntRsp>(late, CommandKeys.UnreadRequest, new IMUnreadMsgCntReq { UserId = 0 }, CommandKeys.UnreadResponse);
                var info = Assert.Single(unread.UnreadinfoList);
                Assert.Equal((group, SessionType.Group, (uint)Total, (uint)Total, byId[Total].From), (info.SessionId, info.SessionType, info.UnreadCnt, info.LatestMsgId, info.LatestMsgFromUserId));
                Assert.Equal((uint)Total, unread.TotalCnt);
            });
            output.WriteLine($"{offline.Length} offline members saw {Total} unread; the test took {clock.Elapsed}");
        }
        finally
        {
            foreach (var device in devices.Where(d => d is not null))
            {
                await device.Client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Frames of one connection until it has <see cref="Total"/> of the group's messages (pushes, plus acks of what it
    /// sent) or the deadline passes.
    /// </summary>
    private static async Task<(List<IMMsgData> Pushes, Dictionary<ushort, uint> Acks)> CollectAsync(
        Device device, uint group, Dictionary<ushort, string> sentHere, DateTime deadline)
    {
        var pushes = new List<IMMsgData>();
        var acks = new Dictionary<ushort, uint>();
        while (pushes.Count + acks.Count < Total && DateTime.UtcNow < deadline)
        {
            var frame = await device.Client.ReceiveAsync(deadline - DateTime.UtcNow);
            if (frame is null)
            {
                break;
            }

            if (frame.Command == CommandKeys.MessageData && frame.Parse<IMMsgData>() is { } message && message.ToSessionId == group)
            {
                Assert.Equal(0, frame.Header.SeqNum);
                pushes.Add(message);
            }
            else if (frame.Command == CommandKeys.MessageDataAck && sentHere.ContainsKey(frame.Header.SeqNum))
            {
                var ack = frame.Parse<IMMsgDataAck>();
                Assert.Equal((group, SessionType.Group), (ack.SessionId, ack.SessionType));
                Assert.True(acks.TryAdd(frame.Header.SeqNum, ack.MsgId), $"{device.Name} got two acks of seq {frame.Header.SeqNum}");
            }
        }

        return (pushes, acks);
    }
}
