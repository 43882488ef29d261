namespace TeamTalk.Orleans.Hosting;

/// <summary>Runs a server process so that a failure to start ends it with one clear message and exit code 1.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="run"/>; any exception that escapes (bad settings, unreachable database) is reported with its causes.</summary>
    public static async Task<int> RunAsync(string processName, Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (Exception ex)
        {
            var reasons = new List<string>();
            for (var e = ex; e is not null; e = e.InnerException)
            {
                reasons.Add(e.Message);
            }

            await Console.Error.WriteLineAsync($"{processName}: cannot run: {string.Join(" <- ", reasons.Distinct())}");
            return 1;
        }
    }
}
