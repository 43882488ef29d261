using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Scenarios;
using TeamTalk.Orleans.LoadGen.Tools;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.LoadGen.Tests;

public sealed class ArgsTests
{
    [Fact]
    public void Options_take_values_with_a_space_or_an_equals_sign_and_flags_take_none()
    {
        var args = LoadGenCommandLine.Parse(["CHAT", "--pairs", "500", "--rate=18", "--one-way", "--duration", "2m"]);
        Assert.Equal("chat", args.CommandResult.Command.Name);
        var chat = ChatOptions.From(args);
        Assert.Equal(500, chat.Pairs);
        Assert.Equal(18, chat.Rate);
        Assert.True(chat.OneWay);
        Assert.Equal(TimeSpan.FromMinutes(2), chat.Duration);
        Assert.Equal(1, chat.SendersPerPair);
    }

    [Fact]
    public void Offline_receivers_make_every_pair_one_sender_to_a_phone_with_a_push_token()
    {
        var chat = ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--pairs", "56", "--offline-receivers", "--receiver-device", "android", "--push-stats", "http://127.0.0.1:9100/stats"]));
        Assert.True(chat.OfflineReceivers);
        Assert.False(chat.OneWay);
        Assert.Equal(1, chat.SendersPerPair);
        Assert.Equal(0x12u, chat.ReceiverClientType);
        Assert.Equal(new Uri("http://127.0.0.1:9100/stats"), chat.PushStats);
        var scenario = new ChatScenario(chat);
        Assert.Equal(112, scenario.UsersNeeded);
        Assert.Equal(56.0 * 18, scenario.Parameters["offered_msgs_per_s"]);
        Assert.Equal("offline, android push tokens", scenario.Parameters["receivers"]);
        Assert.Equal("lg-push-42", ChatScenario.PushToken(42));

        var defaults = ChatOptions.From(LoadGenCommandLine.Parse(["chat"]));
        Assert.False(defaults.OfflineReceivers);
        Assert.Equal(0x11u, defaults.ReceiverClientType);
        Assert.Null(defaults.PushStats);
        Assert.Equal(2, defaults.SendersPerPair);

        var control = new ChatScenario(ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--offline-receivers", "--receiver-device", "none"])));
        Assert.Equal("offline, no push tokens", control.Parameters["receivers"]);
        Assert.True(chat.ReceiversHoldTokens);
        Assert.False(ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--offline-receivers", "--receiver-device", "none"])).ReceiversHoldTokens);
    }

    [Fact]
    public void The_probe_sends_requests_instead_of_messages_and_does_not_go_with_offline_receivers()
    {
        var probe = ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--pairs", "25", "--probe"]));
        Assert.True(probe.Probe);
        Assert.Equal(2, probe.SendersPerPair);
        var scenario = new ChatScenario(probe);
        Assert.StartsWith("latest-message-id requests", (string?)scenario.Parameters["sends"], StringComparison.Ordinal);
        Assert.Equal("messages", new ChatScenario(ChatOptions.From(LoadGenCommandLine.Parse(["chat"]))).Parameters["sends"]);

        var ex = Assert.Throws<UsageException>(() => ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--probe", "--offline-receivers"])));
        Assert.Contains("--probe", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--receiver-device", "windows", "ios, android or none")]
    [InlineData("--push-stats", "not a url", "--push-stats")]
    [InlineData("--push-stats", "ftp://127.0.0.1/stats", "--push-stats")]
    public void Bad_push_options_are_refused(string option, string value, string message)
    {
        var ex = Assert.Throws<UsageException>(() => ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--offline-receivers", option, value])));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_receivers_need_the_database_for_their_ids_and_tokens()
    {
        var common = CommonOptions.From(LoadGenCommandLine.Parse(["chat", "--offline-receivers"]));
        var scenario = new ChatScenario(ChatOptions.From(LoadGenCommandLine.Parse(["chat", "--offline-receivers"])));
        var ex = await Assert.ThrowsAsync<UsageException>(() => scenario.SetupAsync(common, CancellationToken.None));
        Assert.Contains("--db", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData("30s", 30.0)]
    [InlineData("250ms", 0.25)]
    [InlineData("1.5s", 1.5)]
    [InlineData("2m", 120.0)]
    public void Durations_accept_seconds_milliseconds_and_minutes(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CliOptions.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1s")]
    [InlineData("10h")]
    public void Malformed_durations_are_refused(string text) => Assert.Null(CliOptions.ParseDuration(text));

    [Fact]
    public void Defaults_describe_a_loopback_android_run_through_discovery()
    {
        var common = CommonOptions.From(LoadGenCommandLine.Parse(["connect"]));
        Assert.Equal(new Uri(CommonOptions.DefaultDiscovery), common.Discovery);
        Assert.Null(common.Tcp);
        Assert.Equal(ClientType.Android, common.ClientType);
        Assert.Equal("lg1", common.UserName(0));
        Assert.Equal("lg10", common.UserName(9));
        Assert.Equal(1, common.Processes);
        Assert.False(common.IsWorker);
    }

    [Fact]
    public void Connections_spread_over_the_source_addresses()
    {
        var common = CommonOptions.From(LoadGenCommandLine.Parse(["connect", "--source-addresses", "3", "--first-user", "101", "--prefix", "u"]));
        Assert.Equal("127.0.0.1", common.SourceAddress(0).ToString());
        Assert.Equal("127.0.0.3", common.SourceAddress(2).ToString());
        Assert.Equal("127.0.0.1", common.SourceAddress(3).ToString());
        Assert.Equal("u101", common.UserName(0));
    }

    [Theory]
    [InlineData("--tcp", "10.0.0.5:8000")]
    [InlineData("--tcp", "192.168.1.1:8000")]
    [InlineData("--discovery", "http://10.1.2.3:8080/msg_server")]
    [InlineData("--discovery", "http://example.com/msg_server")]
    public void Targets_outside_loopback_are_refused_without_allow_remote(string option, string value)
    {
        var ex = Assert.Throws<UsageException>(() => CommonOptions.From(LoadGenCommandLine.Parse(["chat", option, value])));
        Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_direct_tcp_address_replaces_discovery()
    {
        var common = CommonOptions.From(LoadGenCommandLine.Parse(["chat", "--tcp", "127.0.0.1:8000"]));
        Assert.Null(common.Discovery);
        Assert.Equal(8000, common.Tcp!.Port);
    }

    [Theory]
    [InlineData("chat|--pairs|0")]
    [InlineData("chat|--pairs|many")]
    [InlineData("chat|--rate|-1")]
    [InlineData("chat|--pairs|1|--pairs|2")]
    [InlineData("chat|pairs")]
    [InlineData("chat|--tcp|127.0.0.1:8000|--discovery|http://127.0.0.1/msg_server")]
    [InlineData("chat|--client-type|symbian")]
    [InlineData("chat|--seed|10")]
    [InlineData("--pairs|3")]
    public void Bad_arguments_are_usage_errors(string argv) =>
        Assert.Throws<UsageException>(() =>
        {
            var args = LoadGenCommandLine.Parse(argv.Split('|'));
            CommonOptions.From(args);
            ChatOptions.From(args);
        });

    [Fact]
    public void Unknown_options_are_reported()
    {
        var ex = Assert.Throws<UsageException>(() => LoadGenCommandLine.Parse(["chat", "--pairs", "3", "--colour", "blue"]));
        Assert.Contains("--colour", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Workers_get_the_options_given_less_the_coordinators_own()
    {
        var args = LoadGenCommandLine.Parse(["CHAT", "--pairs=7", "--one-way", "--json", "out.json", "--processes", "2", "--tcp", "127.0.0.1:8000"]);
        var worker = Coordinator.WorkerArguments(args, 1, 2);
        Assert.Equal(["chat", "--pairs", "7", "--one-way", "--tcp", "127.0.0.1:8000", "--worker-index", "1", "--worker-count", "2", "--quiet"], worker);
        var common = CommonOptions.From(LoadGenCommandLine.Parse(worker));
        Assert.True(common.IsWorker);
        Assert.Equal(1, common.WorkerIndex);
    }

    [Fact]
    public void Pids_parse_as_role_equals_pid_and_roles_may_repeat()
    {
        var pids = ServerProcesses.Parse("silo=10, gateway=20,gateway=21,mariadb=30,redis=40");
        Assert.Equal(5, pids.Count);
        Assert.Equal(2, pids.Count(p => p.Role == "gateway"));
        Assert.Throws<UsageException>(() => ServerProcesses.Parse("kafka=1"));
        Assert.Throws<UsageException>(() => ServerProcesses.Parse("silo=abc"));
    }

    [Fact]
    public void Server_roles_are_recognised_by_command_line()
    {
        Assert.Equal("gateway", ServerProcesses.RoleOf("dotnet TeamTalk.Orleans.Gateway.dll --x", "dotnet"));
        Assert.Equal("silo", ServerProcesses.RoleOf("dotnet TeamTalk.Orleans.Silo.dll", "dotnet"));
        Assert.Equal("mariadb", ServerProcesses.RoleOf("/usr/sbin/mariadbd --defaults-file=x", "mariadbd"));
        Assert.Equal("redis", ServerProcesses.RoleOf("redis-server 127.0.0.1:6380", "redis-server"));
        Assert.Null(ServerProcesses.RoleOf("bash", "bash"));
    }

    [Fact]
    public void The_ceiling_insert_has_one_parameter_group_per_row()
    {
        var sql = CeilingTool.BuildInsert(3);
        Assert.StartsWith($"INSERT INTO {CeilingTool.ScratchTable} (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES ", sql, StringComparison.Ordinal);
        Assert.Contains("(@r2,@f2,@t2,@m2,@c2,@y,0,@d,@d)", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("@r3", sql, StringComparison.Ordinal);
    }
}
