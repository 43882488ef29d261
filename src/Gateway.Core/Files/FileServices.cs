using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Blobs;

namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>What every file connection uses, gathered once.</summary>
internal sealed class FileServices(
    FileConnectionRegistry registry,
    FileRelay relay,
    IBlobStore blobs,
    IGrainFactory grains,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    FileLog log,
    TimeProvider time)
{
    public FileConnectionRegistry Registry => registry;

    public FileRelay Relay => relay;

    public IBlobStore Blobs => blobs;

    public IGrainFactory Grains => grains;

    public GatewayIdentity Gateway => gateway;

    public GatewayOptions Settings { get; } = options.Value;

    public FileLog Log => log;

    public TimeProvider Time => time;
}
