using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.PushFake;

// The fake APNs and FCM as a process (bench/run.sh's push stage): writes its keys and the silo's settings to --dir,
// serves until SIGTERM or SIGINT, then prints its counters as JSON. GET /stats on either port gives them meanwhile.
var dirOption = new Option<string>("--dir") { Description = "directory for the keys and silo-args (one --TeamTalk:Push:…=value per line)", Required = true };
var apnsPortOption = CliOptions.Count("--apns-port", 0, 0, 65535, "APNs (h2c) port; 0: any free port");
var fcmPortOption = CliOptions.Count("--fcm-port", 0, 0, 65535, "FCM and OAuth token port; 0: any free port");
var root = new RootCommand("Loopback fake APNs and FCM servers that check tokens, headers and payloads and count pushes.") { dirOption, apnsPortOption, fcmPortOption };
ParseResult parsed;
try
{
    parsed = CommandLineParser.Parse(root, Environment.GetCommandLineArgs()[1..]);
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync("push-fake: " + ex.Message);
    return CommandLineParser.ExitUsage;
}

if (CommandLineParser.WroteHelp(parsed))
{
    return 0;
}

var dir = Path.GetFullPath(parsed.GetValue(dirOption)!);
await using var server = await FakePushServer.StartAsync(dir, parsed.GetValue(apnsPortOption), parsed.GetValue(fcmPortOption), keepBodies: false);
await File.WriteAllLinesAsync(Path.Combine(dir, "silo-args"), server.SiloSettings().Select(s => $"--{s.Key}={s.Value}"));
var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"push-fake ready: apns {server.ApnsEndpoint} fcm {server.FcmEndpoint}"));
await stopped.Task;
Console.WriteLine(JsonSerializer.Serialize(server.Stats));
foreach (var refusal in server.Refusals.Take(20))
{
    await Console.Error.WriteLineAsync("push-fake refused: " + refusal);
}

return 0;
