using System.Net;
using System.Text.Json;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>A silo and a gateway (with a MariaDB of their own) scraped by a real Prometheus.</summary>
/// <remarks>The silo's dashboard has a password; the gateway logs JSON.</remarks>
public sealed class TelemetryFixture : IAsyncLifetime
{
    internal const string DashboardPassword = "dashboard-secret";

    internal PrivateServer MariaDb { get; private set; } = null!;

    internal TestDatabase Database { get; private set; } = null!;

    internal TestCluster Cluster { get; private set; } = null!;

    internal PrometheusServer Prometheus { get; private set; } = null!;

    internal uint[] Users { get; private set; } = [];

    public async Task InitializeAsync()
    {
        MariaDb = await PrivateServer.StartMariaDbAsync();
        Database = await TestDatabase.CreateAsync(MariaDb.ConnectionString);
        Users = await Database.SeedUsersAsync(["metrics_alice", "metrics_bob"]);
        Cluster = await TestCluster.CreateAsync(database: Database);
        await Cluster.StartSiloAsync(extra: new Dictionary<string, string> { ["TeamTalk:Dashboard:Password"] = DashboardPassword });
        await Cluster.StartGatewayAsync(new Dictionary<string, string> { ["TeamTalk:Logging:Json"] = "true" });
        Prometheus = await PrometheusServer.StartAsync(new Dictionary<string, int>
        {
            ["silo"] = Cluster.Silos[0].ManagementPort,
            ["gateway"] = Cluster.Gateways[0].ManagementPort,
        });
    }

    public async Task DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
        await MariaDb.DisposeAsync();
    }
}

/// <summary>
/// Metrics and health end to end: Prometheus scrapes /metrics of both processes and sees the message counters move;
/// /health/ready follows the database; the management endpoints are not served on the public ports.
/// </summary>
public sealed class TelemetryTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Prometheus_scrapes_both_processes_and_sees_the_message_counters_move()
    {
        var prometheus = fixture.Prometheus;
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), async () =>
        {
            var up = await prometheus.QueryAsync("up");
            return up.GetValueOrDefault("silo") == 1 && up.GetValueOrDefault("gateway") == 1;
        }, "Prometheus scraping the silo and the gateway");
        var ackedBefore = (await prometheus.QueryAsync("sum by (job) (teamtalk_messages_acked_total)")).GetValueOrDefault("gateway");
        var committedBefore = (await prometheus.QueryAsync("sum by (job) (teamtalk_commit_messages_total)")).GetValueOrDefault("silo");

        const int Count = 12;
        var gateway = fixture.Cluster.Gateways[0];
        await using (var alice = await Clients.LoginAsync(gateway, "metrics_alice"))
        await using (var bob = await Clients.LoginAsync(gateway, "metrics_bob"))
        {
            for (var i = 0; i < Count; i++)
            {
                await Chat.SendTextAsync(alice, fixture.Users[1], $"metered {i}");
            }

            Assert.Equal(Count, (await Chat.CollectAsync(alice, CommandKeys.MessageDataAck, Count, Clients.Reply)).Count);
            Assert.Equal(Count, (await Chat.CollectAsync(bob, CommandKeys.MessageData, Count, Clients.Reply)).Count);
        }

        // The gateway counts what it acknowledged, the silo what it committed and delivered; Orleans' own meter and the
        // runtime's reach Prometheus as well.
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), async () =>
            (await prometheus.QueryAsync("sum by (job) (teamtalk_messages_acked_total)")).GetValueOrDefault("gateway") >= ackedBefore + Count
            && (await prometheus.QueryAsync("sum by (job) (teamtalk_commit_messages_total)")).GetValueOrDefault("silo") >= committedBefore + Count,
            "the acked and committed counters moving by the messages sent");
        var values = new Dictionary<string, Dictionary<string, double>>();
        foreach (var query in new[]
                 {
                     "sum by (job) (teamtalk_messages_ack_latency_seconds_count)",
                     "sum by (job) (teamtalk_messages_received_total)",
                     "sum by (job) (teamtalk_gateway_logins_total{result=\"success\"})",
                     "sum by (job) (teamtalk_delivery_fan_out_count)",
                     "sum by (job) (teamtalk_commit_batch_size_count)",
                     "count by (job) ({__name__=~\"orleans_.+\"})",
                     "count by (job) ({__name__=~\"process_.+|dotnet_.+\"})",
                 })
        {
            values[query] = await Eventually.ValueAsync(() => prometheus.QueryAsync(query), v => v.Count > 0, query);
        }

        Assert.True(values["sum by (job) (teamtalk_messages_ack_latency_seconds_count)"]["gateway"] >= Count);
        Assert.True(values["sum by (job) (teamtalk_messages_received_total)"]["gateway"] >= Count);
        Assert.True(values["sum by (job) (teamtalk_gateway_logins_total{result=\"success\"})"]["gateway"] >= 2);
        Assert.True(values["sum by (job) (teamtalk_delivery_fan_out_count)"]["silo"] >= 1);
        Assert.True(values["sum by (job) (teamtalk_commit_batch_size_count)"]["silo"] >= 1);
        Assert.True(values["count by (job) ({__name__=~\"orleans_.+\"})"].GetValueOrDefault("silo") > 0, "Orleans' meter on the silo");
        Assert.True(values["count by (job) ({__name__=~\"process_.+|dotnet_.+\"})"].GetValueOrDefault("gateway") > 0, "runtime and process metrics");
    }

    [Fact]
    public async Task Ready_follows_the_database_and_management_endpoints_stay_off_the_public_ports()
    {
        var silo = fixture.Cluster.Silos[0];
        var gateway = fixture.Cluster.Gateways[0];
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(silo.ManagementPort, "/health/live")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(gateway.ManagementPort, "/health/live")).Status);
        var ready = await GetAsync(silo.ManagementPort, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Json.RootElement.GetProperty("checks").GetProperty("cluster-membership").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.Json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var gatewayReady = await GetAsync(gateway.ManagementPort, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, gatewayReady.Status);
        Assert.Equal("Healthy", gatewayReady.Json.RootElement.GetProperty("checks").GetProperty("cluster-client").GetProperty("status").GetString());

        // Not on the client-facing HTTP port nor the dashboard's; nothing but management routes on the management port.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.HttpPort, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.HttpPort, "/health/ready"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(silo.DashboardPort, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.ManagementPort, "/msg_server"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(silo.ManagementPort, "/dashboard"));

        await fixture.MariaDb.StopAsync();
        try
        {
            await Eventually.SucceedsAsync(TimeSpan.FromSeconds(20), async () =>
            {
                var (status, json) = await GetAsync(silo.ManagementPort, "/health/ready");
                return status == HttpStatusCode.ServiceUnavailable
                    && json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString() == "Unhealthy";
            }, "the silo not ready while MariaDB is down");
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(silo.ManagementPort, "/health/live")).Status);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(gateway.ManagementPort, "/health/ready")).Status);
        }
        finally
        {
            await fixture.MariaDb.StartAsync();
        }

        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), async () =>
            (await GetAsync(silo.ManagementPort, "/health/ready")).Status == HttpStatusCode.OK, "the silo ready again after MariaDB returned");
    }

    [Fact]
    public async Task The_dashboard_asks_for_its_password()
    {
        var dashboard = new Uri($"http://127.0.0.1:{fixture.Cluster.Silos[0].DashboardPort}/dashboard/");
        using (var anonymous = await Http.GetAsync(dashboard))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await DashboardStatusAsync(dashboard, "admin:wrong-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, await DashboardStatusAsync(dashboard, $"root:{TelemetryFixture.DashboardPassword}"));
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(dashboard, $"admin:{TelemetryFixture.DashboardPassword}"));

        // Routing ignores the path's case; so does the password check.
        using (var otherCase = await Http.GetAsync(new Uri($"http://127.0.0.1:{fixture.Cluster.Silos[0].DashboardPort}/DashBoard/")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherCase.StatusCode);
        }

        // The health endpoint of the dashboard's port is not behind the password (the run command's start-up check uses it).
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(fixture.Cluster.Silos[0].DashboardPort, "/health"));
    }

    [Fact]
    public void The_gateway_logs_one_JSON_object_per_event_when_asked_to()
    {
        var events = fixture.Cluster.Gateways[0].Process.Output
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line))
            .ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e =>
        {
            Assert.True(e.RootElement.TryGetProperty("@t", out _), "a timestamp");
            Assert.True(e.RootElement.TryGetProperty("@m", out _), "the rendered message");
            Assert.True(e.RootElement.TryGetProperty("@i", out _), "the message template's id");
            Assert.Equal("gateway", e.RootElement.GetProperty("Process").GetString());
        });
        Assert.Contains(events, e => e.RootElement.TryGetProperty("SourceContext", out var source) && source.GetString()!.StartsWith("TeamTalk.", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> DashboardStatusAsync(Uri dashboard, string credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, dashboard);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Json)> GetAsync(int port, string path)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static async Task<HttpStatusCode> StatusAsync(int port, string path)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        return response.StatusCode;
    }
}
