using System.Buffers.Binary;
using System.Net.Sockets;
using Google.Protobuf;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>10,000 random and mutated frames leave the gateway serving logins, with no error logged anywhere.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class FuzzTests(DevClusterFixture fixture)
{
    private static readonly ushort[] KnownCommands =
    [
        0x0701, 0x0103, 0x0105, 0x0108, 0x010a, 0x010c, 0x010e, 0x0201, 0x0204, 0x0206, 0x0208, 0x020a, 0x020c, 0x0210, 0x0213,
        0x0301, 0x0302, 0x0303, 0x0305, 0x0307, 0x0309, 0x030b, 0x030d, 0x0401, 0x0403, 0x0405, 0x0407, 0x0409,
        0x0506, 0x0509, 0x050b, 0x050c, 0x0601,
    ];

    [Fact]
    public async Task Ten_thousand_hostile_frames_leave_the_gateway_serving_logins()
    {
        var gateway = fixture.Gateway;
        var random = new Random(20261123);
        var validLogin = EncodeLogin();
        var sent = 0;
        var connectionIndex = 0;
        while (sent < 10_000)
        {
            connectionIndex++;
            var loggedIn = connectionIndex % 2 == 0;
            TeamTalkClient client;
            if (loggedIn)
            {
                client = await Clients.LoginAsync(gateway, "fuzz" + (connectionIndex % 4), connectionIndex % 4 < 2 ? ClientType.Android : ClientType.Windows);
            }
            else
            {
                client = await Clients.ConnectAsync(gateway);
            }

            await using (client)
            {
                for (var i = 0; i < 100 && sent < 10_000; i++, sent++)
                {
                    var frame = NextFrame(random, validLogin);
                    try
                    {
                        await client.SendRawAsync(frame);
                    }
                    catch (Exception ex) when (ex is IOException or SocketException)
                    {
                        break; // the gateway closed this connection, as it should for some inputs
                    }
                }
            }
        }

        await using (var client = await Clients.LoginAsync(gateway, "alice", ClientType.Ios))
        {
            var heartbeat = new byte[16];
            new PacketHeader(16, 1, 0, 7, 0x0701, 77, 0).Write(heartbeat);
            await client.SendRawAsync(heartbeat);
            Assert.Equal((ushort?)77, (await client.ReceiveAsync(CommandKeys.Heartbeat, Clients.Reply))?.Header.SeqNum);
        }

        Assert.Empty(fixture.Cluster.ErrorLines());
        Assert.False(gateway.Process.HasExited);
    }

    private static byte[] EncodeLogin()
    {
        var body = new IMLoginReq
        {
            UserName = "alice",
            Password = TeamTalkClient.PasswordHash("teamtalk"),
            OnlineStatus = UserStatType.UserStatusOnline,
            ClientType = ClientType.Android,
        }.ToByteArray();
        var frame = new byte[16 + body.Length];
        PacketHeader.ForServer(1, 0x0103, 1, body.Length).Write(frame);
        body.CopyTo(frame, 16);
        return frame;
    }

    private static byte[] NextFrame(Random random, byte[] validLogin)
    {
        switch (random.Next(5))
        {
            case 0: // valid header, garbage body, known command
                return Frame(random, KnownCommands[random.Next(KnownCommands.Length)], random.Next(0, 200));
            case 1: // wrong command ids
                return Frame(random, (ushort)random.Next(0, 65536), random.Next(0, 64));
            case 2: // truncated: the header announces more than is sent
            {
                var frame = Frame(random, KnownCommands[random.Next(KnownCommands.Length)], random.Next(1, 100));
                BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)frame.Length + (uint)random.Next(1, 5000));
                return frame;
            }

            case 3: // a valid login with a few bytes flipped (header included)
            {
                var frame = (byte[])validLogin.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    frame[random.Next(frame.Length)] ^= (byte)random.Next(1, 256);
                }

                return frame;
            }

            default: // pure noise
            {
                var noise = new byte[random.Next(1, 64)];
                random.NextBytes(noise);
                return noise;
            }
        }
    }

    private static byte[] Frame(Random random, ushort command, int bodyLength)
    {
        var frame = new byte[16 + bodyLength];
        new PacketHeader((uint)frame.Length, (ushort)random.Next(0, 10), 0, (ushort)(command >> 8), command, (ushort)random.Next(1, 65536), 0).Write(frame);
        random.NextBytes(frame.AsSpan(16));
        return frame;
    }
}
