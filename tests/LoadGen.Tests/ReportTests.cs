using System.Net;
using System.Text;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Report;
using TeamTalk.Orleans.LoadGen.Scenarios;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Tests;

public sealed class ReportTests
{
    [Fact]
    public void Worker_results_merge_counters_extremes_histograms_and_series()
    {
        var a = new WorkerResult();
        a.Add("acked", 10);
        a.Max("end", 5);
        a.Min("start", 3);
        a.Series["per_second"] = [1, 2];
        var h = new LatencyHistogram();
        h.Record(100);
        a.Histograms["ack"] = h.ToData();
        a.Notes.Add("same");

        var b = new WorkerResult();
        b.Add("acked", 5);
        b.Max("end", 9);
        b.Min("start", 1);
        b.Series["per_second"] = [10, 20, 30];
        var h2 = new LatencyHistogram();
        h2.Record(2000);
        b.Histograms["ack"] = h2.ToData();
        b.Notes.Add("same");

        a.Merge(b);
        Assert.Equal(15, a.Counter("acked"));
        Assert.Equal(9, a.MaxOf("end"));
        Assert.Equal(1, a.MinOf("start"));
        Assert.Equal([11L, 22L, 30L], a.Series["per_second"]);
        var merged = a.Histogram("ack");
        Assert.Equal(2, merged.Count);
        Assert.Equal(2000, merged.Max);
        Assert.Single(a.Notes);
    }

    [Fact]
    public void Worker_results_survive_the_json_between_processes()
    {
        var r = new WorkerResult();
        r.Add("sent", 42);
        var h = new LatencyHistogram();
        h.Record(1234);
        r.Histograms["ack"] = h.ToData();
        var json = System.Text.Json.JsonSerializer.Serialize(r, WorkerHost.Json);
        var back = System.Text.Json.JsonSerializer.Deserialize<WorkerResult>(json, WorkerHost.Json)!;
        Assert.Equal(42, back.Counter("sent"));
        Assert.Equal(h.Percentile(50), back.Histogram("ack").Percentile(50));
    }

    [Fact]
    public void Discovery_answers_are_read_and_non_loopback_addresses_refused()
    {
        var ok = ServerLocator.ParseDiscovery(Encoding.UTF8.GetBytes("{\"backupIP\":\"127.0.0.1\",\"code\":0,\"port\":\"8000\",\"priorIP\":\"127.0.0.1\"}"), allowRemote: false);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8000), ok);
        Assert.Throws<DiscoveryException>(() => ServerLocator.ParseDiscovery(Encoding.UTF8.GetBytes("{\"code\":0,\"port\":\"8000\",\"priorIP\":\"10.0.0.1\"}"), allowRemote: false));
        Assert.Throws<DiscoveryException>(() => ServerLocator.ParseDiscovery(Encoding.UTF8.GetBytes("{\"code\":2,\"msg\":\"full\"}"), allowRemote: false));
    }

    [Fact]
    public void The_markdown_page_reads_chat_against_the_ceiling()
    {
        var ceiling = new ScenarioReport { Scenario = "ceiling" };
        ceiling.Figures["rows_per_s"] = 50_000.0;
        var chat = Chat("5k", acked: 5_000, delivered: 5_000);
        chat.Row("load", "x");
        var group = new ScenarioReport { Scenario = "group", Supported = false };
        var md = ReportWriter.Markdown("t", [ReportWriter.ToJson(ceiling), ReportWriter.ToJson(chat), ReportWriter.ToJson(group)], "pre");
        Assert.Contains("| chat (5k) | fraction of the MariaDB ceiling | 10.0% |", md, StringComparison.Ordinal);
        Assert.Contains("| chat (5k) | ack p50 / p99 | 1.00 ms / 3.00 ms |", md, StringComparison.Ordinal);
        Assert.Contains("not supported by the server", md, StringComparison.Ordinal);
        Assert.Contains("| load | x |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_page_heads_a_push_run_with_its_pushes_per_second_and_cpu_per_acked_message()
    {
        var chat = Chat("offline", acked: 1_008, delivered: 0);
        chat.Figures["server_cpu_us_per_delivered_msg"] = null;
        chat.Figures["server_cpu_us_per_acked_msg"] = 1_634.4;
        chat.Figures["pushes_per_s"] = 1_001.5;
        chat.Figures["pushes_total"] = 25_200L;

        var md = ReportWriter.Markdown("t", [ReportWriter.ToJson(chat)], "pre");

        Assert.Contains("| chat (offline) | server CPU per acked msg | 1634 µs |", md, StringComparison.Ordinal);
        Assert.Contains("| chat (offline) | pushes/s (fake provider, window) / pushes in the run | 1,002 / 25,200 |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("server CPU per delivered msg", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_page_heads_a_probe_run_with_requests_answered_and_cpu_per_request()
    {
        var probe = Chat("probe", acked: 900, delivered: 0, new Dictionary<string, object?> { ["sends"] = "latest-message-id requests (--probe: no messages, no database, no push)" });
        probe.Figures["server_cpu_us_per_delivered_msg"] = null;
        probe.Figures["server_cpu_us_per_acked_msg"] = 160.4;
        probe.Figures["server_cpu_us_per_msg_by_process"] = new SortedDictionary<string, double> { ["gateway"] = 100.2, ["silo"] = 59.6 };

        var md = ReportWriter.Markdown("t", [ReportWriter.ToJson(probe)], "pre");

        Assert.Contains("| chat (probe) | answered requests/s | 900 |", md, StringComparison.Ordinal);
        Assert.Contains("| chat (probe) | request → answer p50 / p99 | 1.00 ms / 3.00 ms |", md, StringComparison.Ordinal);
        Assert.Contains("| chat (probe) | server CPU per request | 160 µs |", md, StringComparison.Ordinal);
        Assert.Contains("| chat (probe) | of which, per process | gateway 100 µs, silo 60 µs |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("delivery p50", md, StringComparison.Ordinal);
        Assert.DoesNotContain("loss (acked, not delivered)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connect_run_reports_memory_per_connection_of_the_gateway_or_of_the_silo_that_hosts_it()
    {
        var separate = new ScenarioReport { Scenario = "connect", Label = "two" };
        separate.Figures["logins_per_s"] = 2_046.0;
        separate.Figures["gateway_kib_per_connection"] = 5.5;
        separate.Figures["silo_kib_per_connection"] = 3.3;
        var node = new ScenarioReport { Scenario = "connect", Label = "one" };
        node.Figures["logins_per_s"] = 2_417.0;
        node.Figures["silo_kib_per_connection"] = 9.9;

        var md = ReportWriter.Markdown("t", [ReportWriter.ToJson(separate), ReportWriter.ToJson(node)], "pre");

        Assert.Contains("| connect (two) | gateway KiB per idle connection | 5.5 |", md, StringComparison.Ordinal);
        Assert.Contains("| connect (one) | silo (hosting the gateway) KiB per idle connection | 9.9 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_page_heads_a_group_run_with_its_deliveries_fan_out_latency_and_cost()
    {
        var group = new ScenarioReport { Scenario = "group", Label = "19k" };
        group.Figures["acked_msgs_per_s"] = 1_000.0;
        group.Figures["deliveries_per_s"] = 19_000.0;
        group.Figures["ack_latency"] = new LatencySummary(10, 1, 2, 3, 4, 5, 1.5);
        group.Figures["fanout_latency"] = new LatencySummary(10, 2, 3, 8, 9, 9, 2.5);
        group.Figures["lost_acked_not_delivered"] = 0L;
        group.Figures["server_cpu_us_per_delivery"] = 81.2;

        var md = ReportWriter.Markdown("t", [ReportWriter.ToJson(group)], "pre");

        Assert.Contains("| group (19k) | acked msgs/s / deliveries/s | 1,000 / 19,000 |", md, StringComparison.Ordinal);
        Assert.Contains("| group (19k) | fan-out p50 / p99 | 2.00 ms / 8.00 ms |", md, StringComparison.Ordinal);
        Assert.Contains("| group (19k) | loss (acked, not delivered) | 0 |", md, StringComparison.Ordinal);
        Assert.Contains("| group (19k) | server CPU per delivery | 81 µs |", md, StringComparison.Ordinal);
    }

    /// <summary>A chat run's report with its throughput, no loss and an ack latency summary (p50 1 ms, p99 3 ms).</summary>
    private static ScenarioReport Chat(string label, double acked, double delivered, Dictionary<string, object?>? parameters = null)
    {
        var chat = new ScenarioReport { Scenario = "chat", Label = label, Parameters = parameters ?? [] };
        chat.Figures["acked_msgs_per_s"] = acked;
        chat.Figures["delivered_msgs_per_s"] = delivered;
        chat.Figures["lost_acked_not_delivered"] = 0L;
        chat.Figures["ack_latency"] = new LatencySummary(10, 1, 2, 3, 4, 5, 1.5);
        return chat;
    }
}
