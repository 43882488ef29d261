using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Gateway.Files;

namespace TeamTalk.Orleans.Gateway.Cluster;

/// <summary>
/// A graceful stop, before anything else stops: the gateway takes no new connection (a client that still comes is
/// closed at once and asks discovery again), leaves the directory (discovery stops naming it, grains stop pushing
/// through it), then closes every client connection after flushing what it has queued, so that clients
/// reconnect through discovery to another gateway at once, and their user grains hear of each close while the Orleans
/// client still runs; file-transfer connections are closed too. What is still open after
/// <see cref="GatewayOptions.DrainTimeout"/> (a client that stopped reading) is aborted. Without it Kestrel waits out
/// the host's shutdown timeout for connections that never end by themselves, and the gateway unregisters only after
/// that; in a silo's process (<see cref="GatewayHostingExtensions.AddTeamTalkGatewayInSilo"/>) that wait would also
/// leave the silo no time to leave the cluster gracefully.
/// </summary>
internal sealed partial class GatewayDrain(
    GatewayAnnouncer announcer,
    ConnectionRegistry registry,
    FileConnectionRegistry files,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // First no new connection is served (they would only be closed again) and our own discovery stops naming us,
        // then the directory forgets us (other gateways' discovery within an announce period), then the clients go.
        var connections = registry.BeginDrain();
        await announcer.LeaveAsync(cancellationToken);
        foreach (var connection in connections)
        {
            connection.CloseAfterFlush();
        }

        var transfers = files.All.ToList();
        foreach (var transfer in transfers)
        {
            transfer.CloseAfterFlush();
        }

        var drained = Task.WhenAll(connections.Select(c => c.Closed));
        await drained.WaitAsync(options.Value.DrainTimeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var open = connections.Where(c => !c.Closed.IsCompleted).ToList();
        foreach (var connection in open)
        {
            connection.Abort("gateway stopping");
        }

        foreach (var transfer in files.All)
        {
            transfer.Abort("gateway stopping");
        }

        LogDrained(connections.Count, open.Count, transfers.Count);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: closed {Count} client connections ({Open} still open after the drain timeout, aborted) and {Files} file connections")]
    private partial void LogDrained(int count, int open, int files);
}
