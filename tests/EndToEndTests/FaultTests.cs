using System.Diagnostics;
using System.Globalization;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Faults under a moderate chat load, on a production-profile cluster (ADO.NET clustering and storage on MariaDB):
/// a gateway killed, MariaDB down for 10 s, a rolling restart. Each test prints what the fault did (time to detect,
/// acks stalled, sends that failed, acked-but-undelivered, reconnect p99). Category "Fault" (slow; test.sh runs it).
/// </summary>
[Trait("Category", "Fault")]
[Collection(TimedFaultCollection.Name)]
public sealed class GatewayFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync(production: true);
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_killed_gateway_leaves_discovery_within_2_s_and_its_clients_are_back_within_3_s_with_nothing_lost()
    {
        var (kept, killed) = (cluster.Gateways[0], cluster.Gateways[1]);

        // A third of the users on the gateway that dies: it is the less loaded one, so discovery names it until it is
        // known dead (the failure this guards against).
        await using var load = await ChatLoad.StartAsync(cluster, "gk", 24, TimeSpan.FromMilliseconds(200), k => k % 3 == 2 ? killed : kept);
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(load.AckedCount >= 300), "300 acked messages before the fault");
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () => await DiscoveredPortAsync(kept) == killed.TcpPort, "discovery naming the less-loaded gateway");

        var killedAt = Stopwatch.StartNew();
        killed.Process.Kill();
        var detected = await Eventually.SucceedsAsync(TimeSpan.FromSeconds(10), async () => await DiscoveredPortAsync(kept) != killed.TcpPort, "discovery no longer naming the killed gateway");
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(15), () => Task.FromResult(load.Clients.All(c => c.Port == kept.TcpPort)), "every client back on the other gateway");
        var ackedBack = load.AckedCount;
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(load.AckedCount >= ackedBack + 300), "300 more acked messages after the fault");

        var report = await load.StopAndVerifyAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"gateway kill: discovery stopped naming it after {detected.TotalMilliseconds:F0} ms (polled every 250 ms); {report}");

        Assert.True(detected < TimeSpan.FromSeconds(2), $"discovery named the killed gateway for {detected}");
        Assert.True(report.Reconnects >= 8, $"{report.Reconnects} reconnects"); // the 8 of the killed gateway (and any other client that lost its connection)
        Assert.True(report.ReconnectP99 < TimeSpan.FromSeconds(3), $"reconnect p99 {report.ReconnectP99}");
        Assert.Equal(0, report.Undelivered);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.OutOfOrder);
        Assert.True(killedAt.Elapsed < TimeSpan.FromMinutes(1));
    }

    private static async Task<int> DiscoveredPortAsync(GatewayHandle asked)
    {
        using var json = await TestCluster.DiscoverAsync(asked);
        return int.Parse(json.RootElement.GetProperty("port").GetString()!, CultureInfo.InvariantCulture);
    }
}

/// <summary>MariaDB killed for 10 s under load, on a private MariaDB of the test's own.</summary>
[Trait("Category", "Fault")]
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PrivateServer mariaDb = null!;
    private TestDatabase database = null!;
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        mariaDb = await PrivateServer.StartMariaDbAsync();
        database = await TestDatabase.CreateAsync(mariaDb.ConnectionString);
        cluster = await TestCluster.CreateAsync(production: true, database: database);
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await database.DisposeAsync();
        await mariaDb.DisposeAsync();
    }

    [Fact]
    public async Task Ten_seconds_without_MariaDB_acks_nothing_loses_nothing_resumes_by_itself_and_logs_little()
    {
        await using var load = await ChatLoad.StartAsync(cluster, "db", 16, TimeSpan.FromMilliseconds(100));
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(load.AckedCount >= 300), "300 acked messages before the outage");
        var silo = cluster.Silos[0].Process;
        var gateway = cluster.Gateways[0].Process;
        var (siloLines, gatewayLines) = (silo.Output.Count(), gateway.Output.Count());

        var downAt = load.Now;
        await mariaDb.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(10)); // the outage itself (the scenario is 10 s down), not a wait for a signal
        var restartAt = load.Now; // MariaDB answers again at some point during StartAsync
        await mariaDb.StartAsync();
        var upAt = load.Now;

        var ackedBack = load.AckedCount;
        var resumed = await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), () => Task.FromResult(load.AckedCount >= ackedBack + 300), "300 acked messages after MariaDB returned");
        var report = await load.StopAndVerifyAsync(TimeSpan.FromSeconds(15));

        // What the outage wrote: one full report per fault and a count per interval, not a stack per failure.
        var siloLog = silo.Output.Skip(siloLines).ToList();
        var gatewayLog = gateway.Output.Skip(gatewayLines).ToList();
        var stackLines = siloLog.Concat(gatewayLog).Count(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MariaDB down {(upAt - downAt).TotalSeconds:F1} s; load resumed {resumed.TotalSeconds:F1} s after it returned; {report}; " +
            $"log lines since the outage began: silo {siloLog.Count}, gateway {gatewayLog.Count}, stack-trace lines {stackLines}"));
        foreach (var line in siloLog.Concat(gatewayLog).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Take(80))
        {
            output.WriteLine(line);
        }

        Assert.DoesNotContain(load.Acked, m => m.SentAt > downAt + TimeSpan.FromSeconds(1) && m.AckedAt < restartAt); // nothing acked while down
        Assert.Equal(0, report.Undelivered);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.OutOfOrder);
        Assert.True(siloLog.Count + gatewayLog.Count < 1500, $"{siloLog.Count + gatewayLog.Count} log lines for one outage");
        Assert.True(stackLines < 800, $"{stackLines} stack-trace lines for one outage");
    }
}

/// <summary>Every silo and gateway restarted one at a time (gracefully) under load.</summary>
[Trait("Category", "Fault")]
public sealed class RollingRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync(production: true);
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Restarting_every_process_one_at_a_time_loses_no_acked_message_and_no_delivery()
    {
        await using var load = await ChatLoad.StartAsync(cluster, "rr", 16, TimeSpan.FromMilliseconds(200));
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(load.AckedCount >= 200), "200 acked messages before the restarts");

        var stops = new List<TimeSpan>();

        // Silos first (grains move to the other one), then gateways (clients reconnect through discovery).
        foreach (var silo in cluster.Silos.ToList())
        {
            await silo.Process.StopAsync(TimeSpan.FromSeconds(30));
            await cluster.StartSiloAsync(silo);
            await MoreAcksAsync(load, "silo restart");
        }

        foreach (var gateway in cluster.Gateways.ToList())
        {
            var others = cluster.Gateways.Where(g => g != gateway && !g.Process.HasExited).ToList();
            load.DiscoveryGateways.Clear();
            load.DiscoveryGateways.AddRange(others);
            var stopping = load.Now;
            await gateway.Process.StopAsync(TimeSpan.FromSeconds(30));
            stops.Add(load.Now - stopping);

            // A graceful stop leaves the directory before anything else, and closes its connections itself (not
            // Kestrel's abort at the end of the host's shutdown timeout).
            Assert.Contains(gateway.Process.Output, l => l.Contains("left the directory", StringComparison.Ordinal));
            Assert.Contains(gateway.Process.Output, l => l.Contains("Stopping: closed", StringComparison.Ordinal));
            Assert.DoesNotContain(gateway.Process.Output, l => l.Contains("Could not unregister", StringComparison.Ordinal));
            await Eventually.SucceedsAsync(TimeSpan.FromSeconds(15), () => Task.FromResult(load.Clients.All(c => c.Port != gateway.TcpPort)), "clients off the stopped gateway");
            var started = await cluster.StartGatewayAsync();
            load.DiscoveryGateways.Add(started);
            await MoreAcksAsync(load, "gateway restart");
        }

        var report = await load.StopAndVerifyAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"rolling restart of 2 silos and 2 gateways: {report}");
        output.WriteLine($"gateway stops (SIGTERM to exit): {string.Join(", ", stops.Select(t => $"{t.TotalSeconds:F1} s"))}");
        Assert.Equal(0, report.Undelivered);
        Assert.Equal(0, report.Duplicates);

        // Not asserted to be 0 here (it is for a killed silo or gateway): while a silo stops, a conversation's old
        // activation can still be retrying a message when its new activation, on the other silo, delivers a newer one.
        // The retried message then arrives late (once, not lost: gateways push an id they never pushed even below the
        // newest). Keeping order across that hand-over needs the old activation's pending deliveries handed to the new
        // one, which is not built yet (docs/operations.md, rolling restart).
        output.WriteLine($"messages that arrived after a newer one of their conversation: {report.OutOfOrder}");
    }

    private static async Task MoreAcksAsync(ChatLoad load, string after)
    {
        var acked = load.AckedCount;
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(load.AckedCount >= acked + 100), $"100 more acked messages after the {after}");
    }
}
