using System.Net;
using System.Net.Sockets;
using TeamTalk.Orleans.LoadGen.Client;

namespace TeamTalk.Orleans.LoadGen.Tests;

/// <summary>A <see cref="LeanConnection"/> connected to a loopback socket the test writes the server's bytes into.</summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Socket server;

    private LoopbackPair(TcpListener listener, Socket server, LeanConnection connection)
    {
        this.listener = listener;
        this.server = server;
        Connection = connection;
    }

    public LeanConnection Connection { get; }

    /// <summary>Bytes written so far.</summary>
    public int Written { get; private set; }

    public static async Task<LoopbackPair> OpenAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync();
        var connection = await LeanConnection.ConnectAsync((IPEndPoint)listener.LocalEndpoint, null, 0, CancellationToken.None);
        var server = await accept;
        server.NoDelay = true;
        return new LoopbackPair(listener, server, connection);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await server.SendAsync(bytes, SocketFlags.None);
        Written += bytes.Length;
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Connection.Completion;
        server.Dispose();
        listener.Stop();
    }
}
