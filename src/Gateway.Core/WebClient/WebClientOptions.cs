namespace TeamTalk.Orleans.Gateway.WebClient;

/// <summary>
/// The web chat client (section <c>TeamTalk:Gateway:WebClient</c>): the directory holding its built files
/// (<c>web/dist</c> after <c>npm ci &amp;&amp; npm run build</c>), served at <c>/</c> on the gateway's HTTP port.
/// </summary>
public sealed class WebClientOptions
{
    public const string Section = "TeamTalk:Gateway:WebClient";

    /// <summary>The built client's directory; empty: no web client is served. A directory that does not exist stops the start.</summary>
    public string Directory { get; set; } = string.Empty;
}
