namespace TeamTalk.Orleans.Grains.Login;

/// <summary>Persisted state of a <see cref="LoginGrain"/>: the times of recent failed attempts.</summary>
[GenerateSerializer]
public sealed class LoginState
{
    /// <summary>Failed password checks, oldest first; entries older than the window are pruned on each attempt.</summary>
    [Id(0)]
    public List<DateTimeOffset> Failures { get; set; } = [];
}
