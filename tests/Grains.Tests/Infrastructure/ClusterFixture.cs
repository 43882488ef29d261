using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Orleans.TestingHost;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Grains.Tests.Infrastructure;

/// <summary>
/// One in-process silo (Microsoft.Orleans.TestingHost) composed as the silo process composes it: the production
/// grains (<c>AddTeamTalkGrains</c>) over a MySqlDataSource on a fresh migrated database, the ADO.NET grain storage,
/// and a <see cref="TestClock"/> as the silo's TimeProvider. Two <see cref="TestGateway"/>s are announced before
/// anything else runs. Tests share it (one collection, run one after another) and keep apart by using new users and
/// groups of their own.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>A group's session-touch interval, distinct from every other delay, so waiting for its timer means the touch was written.</summary>
    public static readonly TimeSpan SessionTouchInterval = TimeSpan.FromMilliseconds(1250);

    private InProcessTestCluster? cluster;
    private TestDatabase? database;
    private readonly ConcurrentBag<TestGateway> ownGateways = [];

    /// <summary>The silo's clock; starts at a whole second and moves only when advanced.</summary>
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>A delivery's retry backoff, distinct from every other delay, so a test can wait until a retry is due.</summary>
    public static readonly TimeSpan DeliveryRetryBackoff = TimeSpan.FromMilliseconds(777);

    /// <summary>How long after a silo's death observer calls it may have carried are cut (a value no other timer uses).</summary>
    public static readonly TimeSpan SiloLossGrace = TimeSpan.FromMilliseconds(333);

    /// <summary>Fails chosen deliveries to User grains, as a dead silo would.</summary>
    public DeliveryFaults Faults { get; } = new();

    /// <summary>The calls each User grain received (a silo call filter).</summary>
    public UserGrainCalls UserCalls { get; } = new();

    /// <summary>The silo's push provider for iOS tokens.</summary>
    public RecordingPushProvider Apns { get; } = new(DeviceType.Ios);

    /// <summary>The silo's push provider for Android tokens.</summary>
    public RecordingPushProvider Fcm { get; } = new(DeviceType.Android);

    /// <summary>The cluster client, through which tests call grains.</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silo's view of the gateways (what grains push through).</summary>
    public Routing.GatewayRouter Router => Cluster.Silos[0].ServiceProvider.GetRequiredService<Routing.GatewayRouter>();

    /// <summary>The silo's push service.</summary>
    public Push.PushService PushService => Cluster.Silos[0].ServiceProvider.GetRequiredService<Push.PushService>();

    /// <summary>The silo's registry of gateways in its own process.</summary>
    public InProcessGateways InProcessGateways => Cluster.Silos[0].ServiceProvider.GetRequiredService<InProcessGateways>();

    public TestDatabase Database => database ?? throw new InvalidOperationException("not initialised");

    /// <summary>The silo's blob store (offline files), a temporary directory removed at the end.</summary>
    public string BlobDirectory { get; } = Path.Combine(Path.GetTempPath(), $"tt-grains-blobs-{Guid.NewGuid():N}");

    public TestGateway GatewayA { get; private set; } = null!;

    public TestGateway GatewayB { get; private set; } = null!;

    private InProcessTestCluster Cluster => cluster ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var connectionString = new MySqlConnectionStringBuilder(database.ConnectionString) { TreatTinyAsBoolean = false, ConnectionReset = false }.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Gateways stay in the directory however far a test moves the clock.
                ["TeamTalk:Directory:EntryLifetime"] = "01:00:00",
                // Longer than any test's wait (TestConnection.Timeout): a grain that waited on a gateway which does not
                // answer would make that test fail instead of going on after a timeout.
                ["TeamTalk:Directory:ObserverCallTimeout"] = "00:00:30",
                ["TeamTalk:Directory:SiloLossGrace"] = SiloLossGrace.ToString("c", CultureInfo.InvariantCulture),
                ["TeamTalk:Groups:SessionTouchInterval"] = SessionTouchInterval.ToString("c", CultureInfo.InvariantCulture),
                ["TeamTalk:Blobs:Directory"] = BlobDirectory,
                ["TeamTalk:Push:AesKey"] = TestCipher.Key,
                // The push shield's quiet hours cover the whole run (the clock's zone is UTC), so no test moves the clock by hours.
                ["TeamTalk:Push:QuietFrom"] = TimeOfDay(TimeSpan.FromHours(-1)),
                ["TeamTalk:Push:QuietUntil"] = TimeOfDay(TimeSpan.FromHours(6)),
                // Small push queues, so that a stalled provider fills them within a test.
                ["TeamTalk:Push:QueueCapacity"] = "100",
                ["TeamTalk:Push:ProviderQueueCapacity"] = "10",
                ["TeamTalk:Push:ProviderBatch"] = "10",
                ["TeamTalk:Delivery:RetryBackoff"] = DeliveryRetryBackoff.ToString("c", CultureInfo.InvariantCulture),
                ["TeamTalk:Delivery:MaxRetryBackoff"] = "00:00:10",
            });
            host.Services.AddSingleton(_ => new MySqlDataSource(connectionString));
            host.Services.AddTeamTalkGrains(host.Configuration);
            host.Services.AddTeamTalkBlobStore(host.Configuration);
            host.Services.AddSingleton<TimeProvider>(Clock);
            host.Services.AddSingleton<Push.IPushProvider>(Apns);
            host.Services.AddSingleton<Push.IPushProvider>(Fcm);
            host.Services.AddSingleton<IIncomingGrainCallFilter>(Faults);
            host.Services.AddSingleton<IIncomingGrainCallFilter>(UserCalls);
        });
        builder.ConfigureSilo((_, silo) => silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = DatabaseSettings.AdoNetInvariant;
            o.ConnectionString = connectionString;
        }));
        cluster = builder.Build();
        await cluster.DeployAsync();

        // Announced before any grain looks at the directory: the silo's route cache is only refreshed when the clock moves.
        GatewayA = new TestGateway("gw-a", cluster.Client);
        GatewayB = new TestGateway("gw-b", cluster.Client);
        await GatewayA.AnnounceAsync();
        await GatewayB.AnnounceAsync();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        if (System.IO.Directory.Exists(BlobDirectory))
        {
            System.IO.Directory.Delete(BlobDirectory, recursive: true);
        }
    }

    /// <summary>The clock's start time of day moved by <paramref name="offset"/>, as a setting ("c" format).</summary>
    private string TimeOfDay(TimeSpan offset) =>
        TimeSpan.FromTicks((((Clock.GetUtcNow().TimeOfDay + offset).Ticks % TimeSpan.TicksPerDay) + TimeSpan.TicksPerDay) % TimeSpan.TicksPerDay)
            .ToString("c", CultureInfo.InvariantCulture);

    /// <summary>
    /// A third gateway of a test's own (not announced yet); the test makes it leave the directory when done. The fixture
    /// keeps it until the end, as a gateway process keeps its observer: the client holds observers weakly and drops calls
    /// to a collected one without an answer, and the silo's cached view of the gateways still names one that left, so a
    /// later test's first call to a new User grain (which asks every gateway in that view) would wait out the call timeout.
    /// </summary>
    public TestGateway NewGateway(string id)
    {
        var gateway = new TestGateway(id, Cluster.Client);
        ownGateways.Add(gateway);
        return gateway;
    }

    /// <summary>New users of this test.</summary>
    public Task<uint[]> NewUsersAsync(int count) => Database.NewUsersAsync(count);

    /// <summary>Moves the silo's clock forward; the gateways announce themselves again, as they would meanwhile.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await GatewayA.AnnounceAsync();
        await GatewayB.AnnounceAsync();
    }

    /// <summary>Sends a 1:1 text from <paramref name="from"/> to <paramref name="to"/> (as the gateway does after validation).</summary>
    public Task<SendResult> SendAsync(TestConnection from, uint to, string text) =>
        Grains.GetRelationGrain(from.UserId, to).SendAsync(new SendMessage(from.UserId, to, from.Ref, MessageType.SingleText, Encoding.UTF8.GetBytes(text)));

    /// <summary>Sends a group text from <paramref name="from"/> to group <paramref name="groupId"/>.</summary>
    public Task<SendResult> SendToGroupAsync(TestConnection from, uint groupId, string text) =>
        Grains.GetGroupGrain(groupId).SendAsync(new SendMessage(from.UserId, groupId, from.Ref, MessageType.GroupText, Encoding.UTF8.GetBytes(text)));

    /// <summary>Creates a temporary group of <paramref name="creator"/> with <paramref name="members"/> (the creator included by the caller, as clients do).</summary>
    public async Task<uint> CreateGroupAsync(uint creator, params uint[] members)
    {
        var created = await Grains.GetGroupDirectory().CreateAsync(new GroupCreate(creator, "group of " + creator.ToString(CultureInfo.InvariantCulture), string.Empty, members));
        Assert.NotEqual(0u, created.GroupId);
        return created.GroupId;
    }

    /// <summary>
    /// Waits until the group's session of <paramref name="userId"/> is active and was moved to <paramref name="at"/> or
    /// later (groups move their members' sessions after a message, off the send path). Each check follows a signal:
    /// a group arms its <see cref="SessionTouchInterval"/> delay once a touch was written.
    /// </summary>
    public async Task WaitForGroupSessionAsync(uint userId, uint groupId, uint at)
    {
        var seen = Clock.Armed(SessionTouchInterval);
        while (Convert.ToInt64(await Database.ScalarAsync(
            "SELECT COUNT(*) FROM IMRecentSession WHERE userId = @u AND peerId = @g AND type = 2 AND status = 0 AND updated >= @t",
            ("@u", userId), ("@g", groupId), ("@t", at)), CultureInfo.InvariantCulture) == 0)
        {
            await Clock.WaitArmedAsync(SessionTouchInterval, seen + 1);
            seen = Clock.Armed(SessionTouchInterval);
        }
    }

    /// <summary>Deactivates the grain's activation (as idle collection or a silo move would) and waits until it is gone.</summary>
    public Task DeactivateAsync(IAddressable grain) => Cluster.DeactivateAsync(grain.GetGrainId());

    /// <summary>The clock's current time in whole seconds, as grains store it.</summary>
    public uint Now => (uint)Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Proves that nothing else is on its way to <paramref name="connections"/>: a marker delivered through each user's
    /// grain after everything the test awaited must be the next push on every one of them.
    /// </summary>
    public async Task AssertNothingElseAsync(params TestConnection[] connections)
    {
        var marker = Guid.NewGuid().ToString("N");
        foreach (var user in connections.Select(c => c.UserId).Distinct())
        {
            await Grains.GetUserGrain(user).DeliverAsync([new P2PCommandPush(0, user, marker)], null);
        }

        foreach (var connection in connections)
        {
            var next = await connection.NextAsync();
            Assert.True(next is P2PCommandPush { Command: var command } && command == marker, $"expected the marker on connection {connection.Ref.ConnectionId} of user {connection.UserId}, got {next}");
        }
    }
}

/// <summary>Every test class shares one cluster and runs one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
