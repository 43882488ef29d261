namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>A command-line mistake: printed with the usage, exit code 2.</summary>
internal sealed class UsageException : Exception
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
