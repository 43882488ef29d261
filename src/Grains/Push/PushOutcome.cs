namespace TeamTalk.Orleans.Grains.Push;

/// <summary>The outcome classes of a push.</summary>
public enum PushOutcome
{
    /// <summary>Accepted by the provider.</summary>
    Delivered,

    /// <summary>The token is invalid (unregistered, expired): it is removed from MySQL.</summary>
    InvalidToken,

    /// <summary>Not delivered (after retries); logged and counted.</summary>
    Failed,
}
