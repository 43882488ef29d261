namespace TeamTalk.Orleans.Grains.Push;

/// <summary>What a provider made of one notification.</summary>
/// <param name="Outcome">Delivered, the token is invalid, or failed.</param>
/// <param name="Reason">Why it failed or was refused (the provider's status and reason); null when delivered.</param>
public readonly record struct PushResult(PushOutcome Outcome, string? Reason)
{
    /// <summary>Accepted by the provider.</summary>
    public static PushResult Delivered { get; } = new(PushOutcome.Delivered, null);

    /// <summary>The provider says the token is no longer valid (APNs 410, FCM UNREGISTERED): the token is removed.</summary>
    public static PushResult Invalid(string reason) => new(PushOutcome.InvalidToken, reason);

    /// <summary>Not delivered after the provider's retries.</summary>
    public static PushResult Failed(string reason) => new(PushOutcome.Failed, reason);
}
