namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>Retries an attempt until it succeeds or a deadline passes (for recovery after a failure).</summary>
internal static class Eventually
{
    /// <summary>Returns the time it took for <paramref name="attempt"/> to return true; fails the test after <paramref name="within"/>.</summary>
    public static async Task<TimeSpan> SucceedsAsync(TimeSpan within, Func<Task<bool>> attempt, string what)
    {
        var started = DateTime.UtcNow;
        Exception? last = null;
        while (DateTime.UtcNow - started < within)
        {
            try
            {
                if (await attempt())
                {
                    return DateTime.UtcNow - started;
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
            {
                last = ex;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{what} did not succeed within {within}{(last is null ? string.Empty : $" (last error: {last.Message})")}");
        return TimeSpan.Zero;
    }

    /// <summary>Reads until <paramref name="accept"/> takes the value (within 15 s) and returns it; fails the test otherwise.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string what)
    {
        var value = default(T);
        await SucceedsAsync(TimeSpan.FromSeconds(15), async () => accept(value = await read()), what);
        return value!;
    }
}
