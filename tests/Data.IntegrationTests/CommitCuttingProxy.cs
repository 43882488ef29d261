using System.Net;
using System.Net.Sockets;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>
/// A loopback TCP proxy in front of the test MariaDB that can lose a transaction's COMMIT as a network does: with
/// <see cref="CutAtCommit"/> armed, the next connection to send a <c>COMMIT</c> query (a COM_QUERY packet of exactly
/// that text, unencrypted: the connection string sets <c>SslMode=None</c>) is cut either right after the query reached
/// the server (the server commits, the answer is lost) or right before (the server never sees it and rolls back when
/// the connection closes).
/// </summary>
internal sealed class CommitCuttingProxy : IAsyncDisposable
{
    // 3-byte length 7, sequence 0, COM_QUERY (3), "COMMIT".
    private static readonly byte[] CommitPacket = [7, 0, 0, 0, 3, (byte)'C', (byte)'O', (byte)'M', (byte)'M', (byte)'I', (byte)'T'];

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint server;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private TaskCompletionSource<bool>? armed;
    private bool forward;

    public CommitCuttingProxy(IPEndPoint server)
    {
        this.server = server;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>
    /// Cuts the next COMMIT's connection, after forwarding the COMMIT when <paramref name="forwardCommit"/>; the task
    /// completes when it was cut.
    /// </summary>
    public Task CutAtCommit(bool forwardCommit)
    {
        forward = forwardCommit;
        var cut = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref armed, cut);
        return cut.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(server, stop.Token);
                var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), watch: true, client, upstream);
                var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), watch: false, client, upstream);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A side closed: the relay ends with it.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool watch, TcpClient client, TcpClient upstream)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, stop.Token);
            if (read == 0)
            {
                return;
            }

            if (watch && Volatile.Read(ref armed) is { } cut && buffer.AsSpan(0, read).IndexOf(CommitPacket) >= 0 && Interlocked.CompareExchange(ref armed, null, cut) == cut)
            {
                if (forward)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                    await to.FlushAsync(stop.Token);
                }

                // Reported first: the writer cannot see the cut before the test can. Both sides are then closed at once:
                // the server reads what reached it, then the end of the connection.
                cut.TrySetResult(true);
                upstream.Client.Shutdown(SocketShutdown.Both);
                client.Client.Shutdown(SocketShutdown.Both);
                upstream.Close();
                client.Close();
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
        }
    }
}
