using System.Diagnostics;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// The gateway's activity source (<c>TeamTalk.Gateway</c>): one activity per client command, named after its handler,
/// and one per chat message on its way to its conversation. Nothing listens unless an OTLP endpoint is configured
/// (<see cref="TelemetryOptions.OtlpEndpoint"/>); then <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null at no cost.
/// </summary>
internal static class GatewayTracing
{
    public static readonly ActivitySource Source = new(TeamTalkTelemetry.GatewaySource);
}
