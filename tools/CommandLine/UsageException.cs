namespace TeamTalk.Orleans.CommandLine;

/// <summary>A command-line mistake: the tools print it with a pointer to <c>--help</c> and exit with <see cref="CommandLineParser.ExitUsage"/>.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
