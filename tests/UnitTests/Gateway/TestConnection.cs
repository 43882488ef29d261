using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>
/// A <see cref="ClientConnection"/> over in-memory pipes: the test plays the client, writing bytes to the server and
/// reading back what the server wrote, as frames.
/// </summary>
internal sealed class TestConnection
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Pipe toServer = new();
    private readonly Pipe toClient = new();
    private Task? run;

    public TestConnection()
        : this(new TestGateway())
    {
    }

    public TestConnection(TestGateway gateway)
    {
        Gateway = gateway;
        Context = new DefaultConnectionContext(
            $"test-{Guid.NewGuid():N}",
            new DuplexPipe(toServer.Reader, toClient.Writer),
            new DuplexPipe(toClient.Reader, toServer.Writer));
        Connection = new ClientConnection(Context, gateway.Services);
    }

    public TestGateway Gateway { get; }

    public DefaultConnectionContext Context { get; }

    public ClientConnection Connection { get; }

    /// <summary>The connection's run (started by <see cref="Start"/>).</summary>
    public Task Run => run ?? throw new InvalidOperationException("not started");

    /// <summary>An <c>IMKickUser</c> notice for kicking test connections.</summary>
    public static OutboundFrame KickNotice(uint userId) => OutboundFrame.Message(
        TeamTalk.Orleans.Protocol.CommandKeys.KickUser,
        0,
        new TeamTalk.Orleans.Protocol.Messages.Login.IMKickUser { UserId = userId, KickReason = TeamTalk.Orleans.Protocol.Messages.BaseDefine.KickReasonType.KickReasonDuplicateUser });

    /// <summary>Starts the connection's read and write loops (once).</summary>
    public TestConnection Start()
    {
        run ??= Connection.RunAsync();
        return this;
    }

    /// <summary>Moves the connection to LoggedIn as <paramref name="userId"/>.</summary>
    public TestConnection LoggedIn(uint userId, TeamTalk.Orleans.Grains.Models.DeviceType device)
    {
        Assert.True(Connection.TryBeginLogin());
        Connection.Authenticate(userId, device);
        Connection.Activate();
        Assert.Equal(ConnectionState.LoggedIn, Connection.State);
        return this;
    }

    /// <summary>The client sends <paramref name="bytes"/> (one write, one flush).</summary>
    public async Task SendAsync(byte[] bytes) => await toServer.Writer.WriteAsync(bytes);

    /// <summary>
    /// The socket fails under the server's writes with <paramref name="error"/>, as the socket transport completes the
    /// pipe on an unexpected send error: the server's next flush throws it.
    /// </summary>
    public void SocketFails(Exception error) => toClient.Reader.Complete(error);

    /// <summary>The client closes its side.</summary>
    public Task HangUpAsync() => toServer.Writer.CompleteAsync().AsTask();

    /// <summary>Waits until the connection's run is over (it closed and said goodbye).</summary>
    public Task EndedAsync() => Run.WaitAsync(Patience);

    /// <summary>The next frame the server wrote.</summary>
    public async Task<(PacketHeader Header, byte[] Body)> ReceiveAsync()
    {
        while (true)
        {
            var result = await toClient.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            var buffer = result.Buffer;
            if (FrameReader.TryRead(ref buffer, 1 << 20, out var header, out var body) == FrameStatus.Frame)
            {
                var frame = (header, body.ToArray());
                toClient.Reader.AdvanceTo(buffer.Start);
                return frame;
            }

            Assert.False(result.IsCompleted, "the connection closed before a whole frame came");
            toClient.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Closes gracefully (starting the connection if needed) and returns everything written to the socket.</summary>
    public async Task<byte[]> DrainAsync()
    {
        var reading = ReadToEndAsync();
        Start();
        Connection.CloseAfterFlush();
        await EndedAsync();
        return await reading.WaitAsync(Patience);
    }

    /// <summary>As <see cref="DrainAsync"/>, cut into frames.</summary>
    public async Task<List<(PacketHeader Header, byte[] Body)>> DrainFramesAsync() => Frames(await DrainAsync());

    /// <summary>Everything the server writes until it completes its output.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var output = new List<byte>();
        while (true)
        {
            var result = await toClient.Reader.ReadAsync();
            output.AddRange(result.Buffer.ToArray());
            toClient.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return [.. output];
            }
        }
    }

    /// <summary>Cuts <paramref name="bytes"/> into frames; fails on a partial frame.</summary>
    public static List<(PacketHeader Header, byte[] Body)> Frames(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var frames = new List<(PacketHeader, byte[])>();
        while (FrameReader.TryRead(ref buffer, 1 << 20, out var header, out var body) == FrameStatus.Frame)
        {
            frames.Add((header, body.ToArray()));
        }

        Assert.True(buffer.IsEmpty, "partial frame written");
        return frames;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
