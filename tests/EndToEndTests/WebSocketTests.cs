using System.Net.WebSockets;
using Google.Protobuf;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo and one gateway with a 64 KiB frame limit, for the WebSocket endpoint's tests.</summary>
public sealed class WebSocketFixture : IAsyncLifetime
{
    public const int MaxPacketBytes = 65_536;

    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        await Cluster.Database.SeedUsersAsync(["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"]);
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";

        // Not the suite's 3 s: a first login (cold grains) can take longer on a loaded machine, and no test here is about it.
        Cluster.GatewaySettings["TeamTalk:Gateway:LoginTimeout"] = "00:00:30";
        Cluster.GatewaySettings["TeamTalk:Gateway:MaxPacketBytes"] = MaxPacketBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync(new Dictionary<string, string> { ["TeamTalk:Gateway:WebClient:Directory"] = WebDist });
    }

    /// <summary>The built web client (test.sh builds it: npm ci, then npm run build in web/).</summary>
    internal static string WebDist { get; } = Path.Combine(TestSettings.RepositoryRoot, "web", "dist");

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// <c>/ws</c> against the real gateway: a browser-style client (one binary message per frame) chats with a TCP client
/// both ways; bad input is logged and closes that WebSocket with a status saying why, and nothing else is affected.
/// </summary>
public sealed class WebSocketTests(WebSocketFixture fixture) : IClassFixture<WebSocketFixture>
{
    public static TheoryData<string> BadInputs => ["text", "oversized", "two frames in one message", "frame split over two messages", "shorter than a header", "command before login"];

    [Fact]
    public async Task A_WebSocket_user_and_a_TCP_user_chat_both_ways()
    {
        var (web, webUser) = await WebSocketClient.LoginAsync(fixture.Gateway, "w1");
        await using var _ = web;
        await using var tcp = await Clients.LoginAsync(fixture.Gateway, "w2", ClientType.Windows);
        var tcpUser = await fixture.Cluster.Database.UserIdAsync("w2");

        var seq = await web.SendAsync(CommandKeys.MessageData, Chat.Text(tcpUser, "hello from the browser"));
        var ack = await web.ReceiveAsync(CommandKeys.MessageDataAck, Clients.Reply);
        Assert.NotNull(ack);
        Assert.Equal(seq, ack.Header.SeqNum);
        var toTcp = (await tcp.ReceiveAsync(CommandKeys.MessageData, Clients.Reply))?.Parse<IMMsgData>();
        Assert.NotNull(toTcp);
        Assert.Equal((webUser, tcpUser, "hello from the browser"), (toTcp.FromUserId, toTcp.ToSessionId, toTcp.MsgData.ToStringUtf8()));
        Assert.Equal(ack.Parse<IMMsgDataAck>().MsgId, toTcp.MsgId);

        await Chat.SendTextAsync(tcp, webUser, "hello from the desktop");
        var toWeb = (await web.ReceiveAsync(CommandKeys.MessageData, Clients.Reply))?.Parse<IMMsgData>();
        Assert.NotNull(toWeb);
        Assert.Equal((tcpUser, webUser, "hello from the desktop"), (toWeb.FromUserId, toWeb.ToSessionId, toWeb.MsgData.ToStringUtf8()));
        Assert.Equal(toTcp.MsgId + 1, toWeb.MsgId);
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_logged_and_closes_that_WebSocket_with_a_status_and_nothing_else_is_affected(string input)
    {
        await using var sender = await Clients.LoginAsync(fixture.Gateway, "w3", ClientType.Windows);
        await using var receiver = await Clients.LoginAsync(fixture.Gateway, "w4", ClientType.Windows);
        var receiverId = await fixture.Cluster.Database.UserIdAsync("w4");
        var logBefore = fixture.Gateway.Process.Output.Count();

        await using var web = await WebSocketClient.ConnectAsync(fixture.Gateway);
        var (status, logged) = await SendBadAsync(web, input);

        Assert.True(await web.WaitClosedAsync(Clients.Reply), $"{input}: the WebSocket was not closed");
        Assert.Equal(status, web.CloseStatus);
        Assert.False(string.IsNullOrEmpty(web.CloseDescription));
        await Eventually.SucceedsAsync(
            Clients.Reply,
            () => Task.FromResult(fixture.Gateway.Process.Output.Skip(logBefore).Any(l => l.Contains(logged, StringComparison.Ordinal))),
            $"the gateway logs \"{logged}\"");

        // The TCP users keep chatting: the text sent after the bad input arrives (a marker of the gateway still serving).
        await Chat.SendTextAsync(sender, receiverId, "still here: " + input);
        Assert.NotNull(await sender.ReceiveAsync(CommandKeys.MessageDataAck, Clients.Reply));
        var frames = await Markers.UntilAsync(
            receiver, f => f.Command == CommandKeys.MessageData && f.Parse<IMMsgData>().MsgData.ToStringUtf8() == "still here: " + input, $"the text after {input}");
        Assert.NotEmpty(frames);
        Assert.False(fixture.Gateway.Process.HasExited);
        Assert.Empty(fixture.Cluster.ErrorLines());
    }

    [Fact]
    public async Task Garbage_protobuf_is_rejected_once_per_second_and_the_connection_stays_open()
    {
        var (web, _) = await WebSocketClient.LoginAsync(fixture.Gateway, "w5");
        await using var _ = web;
        var garbage = new byte[PacketHeader.Size + 24];
        PacketHeader.ForServer(CommandKeys.MessageData.ServiceId, CommandKeys.MessageData.CommandId, 9, 24).Write(garbage);
        garbage.AsSpan(PacketHeader.Size).Fill(0xff);
        const int Sent = 50;
        for (var i = 0; i < Sent; i++)
        {
            await web.SendMessageAsync(garbage, WebSocketMessageType.Binary, endOfMessage: true);
        }

        // The round-trip marker: the time response comes after everything the garbage could have caused on this connection.
        var seq = await web.SendAsync(CommandKeys.TimeRequest, new IMClientTimeReq());
        var reply = await web.ReceiveAsync(CommandKeys.TimeResponse, Clients.Reply);
        Assert.NotNull(reply);
        Assert.Equal(seq, reply.Header.SeqNum);
        Assert.Null(web.CloseStatus);

        int Logged() => fixture.Gateway.Process.Output.Count(l => l.Contains("unparsable IMMsgData", StringComparison.Ordinal));
        await Eventually.SucceedsAsync(Clients.Reply, () => Task.FromResult(Logged() >= 1), "the rejection is logged");
        Assert.InRange(Logged(), 1, Sent / 5);
    }

    [Fact]
    public async Task A_browser_logs_in_as_PC_class_only_and_a_second_PC_login_kicks_it()
    {
        await using (var phone = await WebSocketClient.ConnectAsync(fixture.Gateway))
        {
            var refused = await phone.LoginAsync("w6", ClientType.Android);
            Assert.NotNull(refused);
            Assert.Equal(ResultType.RefuseReasonVersionTooOld, refused.ResultCode);
            Assert.True(await phone.WaitClosedAsync(Clients.Reply));
            Assert.Equal(WebSocketCloseStatus.NormalClosure, phone.CloseStatus);
        }

        var (first, _) = await WebSocketClient.LoginAsync(fixture.Gateway, "w6", ClientType.Windows);
        await using var __ = first;
        await using var desktop = await Clients.LoginAsync(fixture.Gateway, "w6", ClientType.Mac);
        Assert.NotNull(await first.ReceiveAsync(CommandKeys.KickUser, Clients.Reply));
        Assert.True(await first.WaitClosedAsync(Clients.Reply));

        // The desktop login that kicked the browser is served.
        var seq = await desktop.SendAsync(CommandKeys.TimeRequest, new IMClientTimeReq());
        Assert.Equal(seq, (await desktop.ReceiveAsync(CommandKeys.TimeResponse, Clients.Reply))?.Header.SeqNum);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_and_the_gateway_s_own_origin_is_accepted()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(fixture.Gateway, "http://evil.example"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        await using var own = await WebSocketClient.ConnectAsync(fixture.Gateway, $"http://127.0.0.1:{fixture.Gateway.HttpPort}");
        var response = await own.LoginAsync("w7", ClientType.Windows);
        Assert.Equal(ResultType.RefuseReasonNone, response?.ResultCode);
    }

    [Fact]
    public async Task The_web_client_is_served_at_root_and_two_users_in_headless_chromium_chat_and_see_unread_counts_and_presence()
    {
        using (var http = new HttpClient { Timeout = Clients.Reply })
        {
            using var page = await http.GetAsync(new Uri($"http://127.0.0.1:{fixture.Gateway.HttpPort}/"));
            Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("src=\"app.js\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var shots = BrowserScript.Screenshots;
        File.Delete(Path.Combine(shots, "web-chat-a.png"));
        await BrowserScript.RunAsync("browser-smoke.mjs", "SMOKE", $"http://127.0.0.1:{fixture.Gateway.HttpPort}/", "w1", "w8", TestDatabase.Password, shots);

        Assert.True(File.Exists(Path.Combine(shots, "web-chat-a.png")));
    }

    /// <summary>Sends one kind of bad input; returns the close status expected and a piece of the gateway's log line.</summary>
    private static async Task<(WebSocketCloseStatus Status, string Logged)> SendBadAsync(WebSocketClient web, string input)
    {
        if (await WebSocketBadInput.TrySendAsync(web, input, WebSocketFixture.MaxPacketBytes) is { } refused)
        {
            return refused;
        }

        var heartbeat = new byte[PacketHeader.Size];
        new PacketHeader(PacketHeader.Size, 1, 0, CommandKeys.Heartbeat.ServiceId, CommandKeys.Heartbeat.CommandId, 5, 0).Write(heartbeat);
        switch (input)
        {
            case "two frames in one message":
                await web.SendMessageAsync(heartbeat.Concat(heartbeat).ToArray(), WebSocketMessageType.Binary, endOfMessage: true);
                return (WebSocketCloseStatus.ProtocolError, "message is longer than its 16-byte frame");
            case "frame split over two messages":
            {
                var login = Frame(CommandKeys.LoginRequest, new IMLoginReq
                {
                    UserName = "w8",
                    Password = TeamTalkClient.PasswordHash(TestDatabase.Password),
                    OnlineStatus = UserStatType.UserStatusOnline,
                    ClientType = ClientType.Windows,
                });
                await web.SendMessageAsync(login.AsMemory(0, 20), WebSocketMessageType.Binary, endOfMessage: true);
                try
                {
                    await web.SendMessageAsync(login.AsMemory(20), WebSocketMessageType.Binary, endOfMessage: true);
                }
                catch (WebSocketException)
                {
                    // The gateway rejects the first part alone and may have closed before the rest went out; the close
                    // status and reason are checked below either way.
                }
                return (WebSocketCloseStatus.ProtocolError, $"message of 20 bytes holds part of a {login.Length}-byte frame");
            }

            case "shorter than a header":
                await web.SendMessageAsync(heartbeat.AsMemory(0, 10), WebSocketMessageType.Binary, endOfMessage: true);
                return (WebSocketCloseStatus.ProtocolError, "message of 10 bytes is shorter than the 16-byte frame header");
            case "command before login":
                await web.SendMessageAsync(Frame(CommandKeys.MessageData, Chat.Text(1, "too early")), WebSocketMessageType.Binary, endOfMessage: true);
                return (WebSocketCloseStatus.PolicyViolation, "command 0x0301 before login");
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "no such bad input");
        }
    }

    private static byte[] Frame(CommandKey command, IMessage body)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, command.ServiceId, command.CommandId, 1, body);
        return writer.WrittenSpan.ToArray();
    }
}
