using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>
/// <c>check-login</c>: logs in over the TeamTalk protocol as a real client would, either straight to a TCP address or
/// through HTTP discovery first, and reports the result. Used by run.sh to prove the system works.
/// </summary>
internal sealed class CheckLoginCommand : IAdminCommand
{
    public string Name => "check-login";

    private readonly Option<string?> discoveryOption = CliOptions.Text("--discovery", "HTTP discovery URL asked for the TCP address (instead of --host/--port)");
    private readonly Option<string> hostOption = CliOptions.Text("--host", "127.0.0.1", "TeamTalk TCP host");
    private readonly Option<int> portOption = CliOptions.Count("--port", 8000, 1, 65535, "TeamTalk TCP port");
    private readonly Option<string> userOption = CliOptions.RequiredText("--user", "user name");
    private readonly Option<string> passwordOption = CliOptions.RequiredText("--password", "plain password");
    private readonly Option<int> timeoutOption = CliOptions.Count("--timeout", 20, 1, 600, "seconds to wait for the login reply");

    public string Summary => "Logs in over the TeamTalk protocol (via discovery when --discovery is given) and prints the result.";

    public IReadOnlyList<Option> Options => [discoveryOption, hostOption, portOption, userOption, passwordOption, timeoutOption];

    public async Task<int> RunAsync(ParseResult args, AdminContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var discovery = args.GetValue(discoveryOption);
        var host = args.GetValue(hostOption)!;
        var port = args.GetValue(portOption);
        var user = args.GetValue(userOption)!;
        var password = args.GetValue(passwordOption)!;
        var timeout = TimeSpan.FromSeconds(args.GetValue(timeoutOption));

        try
        {
            if (discovery is not null)
            {
                (host, port) = await DiscoverAsync(new Uri(discovery), ct);
                await context.Out.WriteLineAsync($"check-login: discovery names {host}:{port}");
            }

            await using var client = await TeamTalkClient.ConnectAsync(host, port, cancellationToken: ct);
            var (response, _) = await client.LoginAsync(user, password, ClientType.Android, timeout);
            if (response is null)
            {
                await context.Error.WriteLineAsync($"check-login: no login response from {host}:{port} within {timeout.TotalSeconds} s");
                return AdminHost.ExitFailed;
            }

            if (response.ResultCode != ResultType.RefuseReasonNone)
            {
                await context.Error.WriteLineAsync($"check-login: {user} refused: {response.ResultCode} {response.ResultString}");
                return AdminHost.ExitFailed;
            }

            await context.Out.WriteLineAsync(
                $"check-login: {user} logged in at {host}:{port} as user {response.UserInfo.UserId} ({response.UserInfo.UserNickName})");
            return AdminHost.ExitOk;
        }
        catch (Exception ex) when (ex is SocketException or IOException or HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"check-login: failed: {ex.Message}");
            return AdminHost.ExitFailed;
        }
    }

    private static async Task<(string Host, int Port)> DiscoverAsync(Uri url, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var json = JsonDocument.Parse(await http.GetStringAsync(url, ct));
        var root = json.RootElement;
        var code = root.GetProperty("code").GetInt32();
        if (code != 0)
        {
            throw new InvalidOperationException($"discovery answered code {code}: {root.GetProperty("msg").GetString()}");
        }

        return (root.GetProperty("priorIP").GetString()!, int.Parse(root.GetProperty("port").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
