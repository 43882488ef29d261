using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using TeamTalk.Orleans.Data;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Grains.Conversations;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The silo's instruments on a real MariaDB: the committer's batch size, latency, committed count and queue depth
/// (meter TeamTalk.Conversations), and the database readiness check of /health/ready.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();
    private TestDatabase? database;
    private MySqlDataSource? dataSource;
    private MessageCommitter? committer;
    private ConversationMetrics? metrics;

    public async Task InitializeAsync()
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.Start();

        database = await TestDatabase.CreateAsync();
        dataSource = new MySqlDataSource(database.ConnectionString);
        metrics = new ConversationMetrics(factory);
        committer = new MessageCommitter(
            new MessageBatchWriter(new Database(dataSource, TimeProvider.System), NullLogger<MessageBatchWriter>.Instance),
            Options.Create(new MessageCommitterOptions()), TimeProvider.System, NullLogger<MessageCommitter>.Instance, metrics);
        await committer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await committer!.StopAsync(CancellationToken.None);
        committer.Dispose();
        metrics!.Dispose();
        listener.Dispose();
        await services.DisposeAsync();
        await dataSource!.DisposeAsync();
        await database!.DisposeAsync();
    }

    [Fact]
    public async Task Committed_batches_are_measured_and_the_queue_depth_is_observable()
    {
        var token = Random.Shared.NextInt64(1, long.MaxValue);
        await Task.WhenAll(
            committer!.CommitAsync(Message(relateId: 901, msgId: 1, token)),
            committer.CommitAsync(Message(relateId: 901, msgId: 2, token)),
            committer.CommitAsync(Message(relateId: 902, msgId: 1, token)));

        Assert.Equal(3, Values("teamtalk.commit.messages").Sum());
        var sizes = Values("teamtalk.commit.batch_size");
        Assert.Equal(3, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, 3));
        var durations = Values("teamtalk.commit.duration");
        Assert.Equal(sizes.Count, durations.Count);
        Assert.All(durations, seconds => Assert.InRange(seconds, 0, 30));
        Assert.Empty(Values("teamtalk.commit.failed_batches"));

        listener.RecordObservableInstruments();
        Assert.Equal(0d, Assert.Single(Values("teamtalk.commit.queue_depth")));
    }

    [Fact]
    public void A_delivery_run_records_its_fan_out_and_latency_by_kind()
    {
        var committed = metrics!.Timestamp();
        metrics.Delivered(group: true, receivers: 40, committed, failed: false);
        metrics.Delivered(group: false, receivers: 2, committed, failed: true);

        Assert.Equal(40d, Assert.Single(Values("teamtalk.delivery.fan_out", "group")));
        Assert.Equal(2d, Assert.Single(Values("teamtalk.delivery.fan_out", "pair")));
        Assert.Equal(2, Values("teamtalk.delivery.duration").Count);
        Assert.Equal(1d, Assert.Single(Values("teamtalk.delivery.failures", "pair")));
        Assert.Empty(Values("teamtalk.delivery.failures", "group"));
    }

    [Fact]
    public async Task The_database_check_is_healthy_when_MariaDB_answers_and_unhealthy_in_time_when_it_does_not()
    {
        var options = new TelemetryOptions { HealthCheckTimeout = TimeSpan.FromSeconds(2) };
        var healthy = await new DatabaseHealthCheck(dataSource!, options).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, healthy.Status);

        // A port nothing listens on (a listener bound then closed).
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var nowhere = new MySqlDataSource(new MySqlConnectionStringBuilder(database!.ConnectionString) { Server = "127.0.0.1", Port = (uint)port }.ConnectionString);
        var started = TimeProvider.System.GetTimestamp();
        var unhealthy = await new DatabaseHealthCheck(nowhere, options).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("does not answer", unhealthy.Description, StringComparison.Ordinal);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
    }

    private List<double> Values(string instrument, string? kind = null) =>
        [.. measurements.Where(m => m.Instrument == instrument && (kind is null || m.Tags.Any(t => t.Key == "kind" && Equals(t.Value, kind)))).Select(m => m.Value)];

    private static PendingMessage Message(uint relateId, uint msgId, long writerToken) =>
        PendingMessage.ForPair(relateId, 91, 92, msgId, created: 1_700_000_000, type: MessageType.SingleText, content: $"m{msgId}", writerToken, recentSessionIds: []);
}
