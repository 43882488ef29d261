using TeamTalk.Orleans.EndToEndTests.Infrastructure;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo (development profile) and one gateway, shared by the tests of a collection.</summary>
public sealed class DevClusterFixture : IAsyncLifetime
{
    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        await Cluster.Database.SeedUsersAsync(["fuzz0", "fuzz1", "fuzz2", "fuzz3"]);
        // Long enough that no test's idle connection is swept on a slow machine, short enough for the idle test to wait for.
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:00:10";
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DevClusterCollection : ICollectionFixture<DevClusterFixture>
{
    public const string Name = "dev cluster";
}
