using System.Threading.Channels;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// A client connection a test logged in on a <see cref="TestGateway"/>: records, in arrival order, every push the grains
/// delivered to it, and whether it was kicked. Reads wait on the recording (a channel) with <see cref="Timeout"/> as
/// the failure bound; nothing sleeps.
/// </summary>
public sealed class TestConnection
{
    /// <summary>How long a test waits for an expected push before failing.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Channel<ClientPush> pushes = Channel.CreateUnbounded<ClientPush>();
    private readonly TaskCompletionSource<KickReason> kicked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TestConnection(TestGateway gateway, uint userId, DeviceType device, long id)
    {
        Gateway = gateway;
        UserId = userId;
        Device = device;
        Ref = new ConnectionRef(gateway.Id, id);
    }

    public TestGateway Gateway { get; }

    public uint UserId { get; }

    public DeviceType Device { get; }

    /// <summary>The connection as grains name it.</summary>
    public ConnectionRef Ref { get; }

    /// <summary>What the user grain answered to the login.</summary>
    public ConnectOutcome? Outcome { get; internal set; }

    /// <summary>Completes with the reason when the connection is kicked.</summary>
    public Task<KickReason> Kicked => kicked.Task;

    /// <summary>True once kicked: the gateway serves it no more (no pushes, not reported to grains).</summary>
    public bool IsKicked => kicked.Task.IsCompleted;

    /// <summary>The next push, waiting at most <see cref="Timeout"/>.</summary>
    public async Task<ClientPush> NextAsync()
    {
        try
        {
            return await pushes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"connection {Ref.ConnectionId} of user {UserId} ({Device}) got no push within {Timeout}");
        }
    }

    /// <summary>The next push, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> NextAsync<T>()
        where T : ClientPush => Assert.IsType<T>(await NextAsync());

    /// <summary>The next <paramref name="count"/> pushes, which must all be <typeparamref name="T"/>.</summary>
    public async Task<List<T>> TakeAsync<T>(int count)
        where T : ClientPush
    {
        var taken = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            taken.Add(await NextAsync<T>());
        }

        return taken;
    }

    /// <summary>Logs the connection out (the gateway forgets it and tells the user grain).</summary>
    public Task DisconnectAsync() => Gateway.DisconnectAsync(this);

    internal void Record(ClientPush push)
    {
        if (!IsKicked)
        {
            pushes.Writer.TryWrite(push);
        }
    }

    internal void Kick(KickReason reason) => kicked.TrySetResult(reason);
}
