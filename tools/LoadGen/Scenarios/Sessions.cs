using System.Diagnostics;
using System.Net.Sockets;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Data.Users;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Connecting and logging in the load generator's users.</summary>
internal static class Sessions
{
    /// <summary>
    /// Discovery (unless a fixed address is set), TCP connect from the connection's 127.0.0.x source address, login as
    /// user <paramref name="userIndex"/>. Returns null (and counts why) when any step fails.
    /// </summary>
    public static async Task<LeanConnection?> OpenAsync(
        CommonOptions options, ServerLocator locator, int userIndex, IFrameSink sink, LoginStats stats, CancellationToken ct,
        ClientType? clientType = null)
    {
        var started = Stopwatch.GetTimestamp();
        System.Net.IPEndPoint endpoint;
        try
        {
            endpoint = await locator.LocateAsync(userIndex, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or DiscoveryException or TaskCanceledException or System.Text.Json.JsonException or IOException or KeyNotFoundException)
        {
            stats.Error(ref stats.DiscoveryErrors, ex.Message);
            return null;
        }

        LeanConnection connection;
        try
        {
            connection = await LeanConnection.ConnectAsync(endpoint, options.SourceAddress(userIndex), userIndex, ct);
        }
        catch (SocketException ex)
        {
            stats.Error(ref stats.ConnectErrors, $"connect {endpoint}: {ex.SocketErrorCode}");
            return null;
        }

        connection.Start(sink);
        var sent = Stopwatch.GetTimestamp();
        var (response, at) = await connection.LoginAsync(options.UserName(userIndex), PasswordHash(options), clientType ?? options.ClientType, options.LoginTimeout);
        if (response is null)
        {
            stats.Error(ref stats.Timeouts, $"no login reply for {options.UserName(userIndex)} within {options.LoginTimeout.TotalSeconds:0.#} s (or the connection closed)");
            connection.Dispose();
            return null;
        }

        if (response.ResultCode != ResultType.RefuseReasonNone)
        {
            stats.Error(ref stats.Refused, $"login of {options.UserName(userIndex)} refused: {response.ResultCode} {response.ResultString}");
            connection.Dispose();
            return null;
        }

        stats.Login.Record(Micros(at - sent));
        stats.Setup.Record(Micros(at - started));
        Interlocked.Increment(ref stats.Ok);
        return connection;
    }

    /// <summary>Opens sessions for every user index, <see cref="CommonOptions.LoginConcurrency"/> at a time, in index order.</summary>
    public static async Task<LeanConnection?[]> OpenManyAsync(
        CommonOptions options, ServerLocator locator, IReadOnlyList<int> userIndices, IFrameSink sink, LoginStats stats, CancellationToken ct)
    {
        var result = new LeanConnection?[userIndices.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, userIndices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.LoginConcurrency, CancellationToken = ct },
            async (i, token) => result[i] = await OpenAsync(options, locator, userIndices[i], sink, stats, token));
        return result;
    }

    public static string PasswordHash(CommonOptions options) => TeamTalkPassword.ClientHash(options.Password);

    public static long Micros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
