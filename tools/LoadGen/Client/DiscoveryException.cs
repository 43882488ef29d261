namespace TeamTalk.Orleans.LoadGen.Client;

/// <summary>Discovery did not hand out a usable gateway.</summary>
internal sealed class DiscoveryException : Exception
{
    public DiscoveryException()
    {
    }

    public DiscoveryException(string message)
        : base(message)
    {
    }

    public DiscoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
