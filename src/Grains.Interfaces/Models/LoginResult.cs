namespace TeamTalk.Orleans.Grains.Models;

/// <summary>What a login attempt came to.</summary>
public enum LoginOutcome
{
    /// <summary>Name and password match a user allowed to log in.</summary>
    Success,

    /// <summary>Unknown name, wrong password, or a user who may not log in.</summary>
    WrongCredentials,

    /// <summary>The failure limiter refused the attempt without checking the password.</summary>
    TooManyFailures,

    /// <summary>The database could not be reached.</summary>
    DatabaseUnavailable,
}

/// <summary>The result of <see cref="ILoginGrain.LoginAsync"/>; <see cref="Profile"/> is set on success only.</summary>
[GenerateSerializer, Immutable]
public sealed record LoginResult([property: Id(0)] LoginOutcome Outcome, [property: Id(1)] UserProfile? Profile)
{
    public static LoginResult Failed(LoginOutcome outcome) => new(outcome, null);

    public static LoginResult Succeeded(UserProfile profile) => new(LoginOutcome.Success, profile);
}
