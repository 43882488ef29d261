using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>A <see cref="ClientConnection"/> over in-memory pipes, whose output can be read back as frames.</summary>
internal sealed class TestConnection
{
    private readonly Pipe toServer = new();
    private readonly Pipe toClient = new();

    public TestConnection(long id = 1, int queueCapacity = 16)
    {
        Context = new DefaultConnectionContext(
            $"test-{id}",
            new DuplexPipe(toServer.Reader, toClient.Writer),
            new DuplexPipe(toClient.Reader, toServer.Writer));
        Connection = new ClientConnection(id, Context, queueCapacity, NullLogger.Instance);
    }

    public DefaultConnectionContext Context { get; }

    public ClientConnection Connection { get; }

    /// <summary>An <c>IMKickUser</c> notice for kicking test connections.</summary>
    public static OutboundFrame KickNotice(uint userId) => OutboundFrame.Message(
        TeamTalk.Orleans.Protocol.CommandKeys.KickUser,
        0,
        new TeamTalk.Orleans.Protocol.Messages.Login.IMKickUser { UserId = userId, KickReason = TeamTalk.Orleans.Protocol.Messages.BaseDefine.KickReasonType.KickReasonDuplicateUser });

    /// <summary>Moves the connection to LoggedIn as <paramref name="userId"/>.</summary>
    public TestConnection LoggedIn(uint userId, TeamTalk.Orleans.Grains.Models.DeviceType device)
    {
        Assert.True(Connection.TryBeginLogin());
        Connection.Authenticate(userId, device);
        Connection.Activate();
        Assert.Equal(ConnectionState.LoggedIn, Connection.State);
        return this;
    }

    /// <summary>Closes the outbound queue, runs the writer loop and returns everything written to the socket.</summary>
    public async Task<byte[]> DrainAsync()
    {
        Connection.CloseAfterFlush();
        await Connection.RunWriterAsync();
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

    /// <summary>As <see cref="DrainAsync"/>, cut into frames.</summary>
    public async Task<List<(PacketHeader Header, byte[] Body)>> DrainFramesAsync()
    {
        var buffer = new ReadOnlySequence<byte>(await DrainAsync());
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
