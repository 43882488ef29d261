namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// Endpoint metadata marking a back-office endpoint: served on the back-office port only (and nothing else is). With
/// <see cref="KeyInBody"/> the key may come in the body's <c>app_key</c> instead of the header (the original's requests),
/// so the endpoint checks it itself. With <see cref="Session"/> it is a web-console page: no key, the console's session
/// cookie and antiforgery token are checked instead (AdminConsole).
/// </summary>
internal sealed record AdminApiEndpoint(bool KeyInBody, bool Session = false)
{
    public static AdminApiEndpoint Console { get; } = new(KeyInBody: false, Session: true);

    public static AdminApiEndpoint Bearer { get; } = new(KeyInBody: false);

    public static AdminApiEndpoint BodyKey { get; } = new(KeyInBody: true);
}
