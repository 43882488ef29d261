using System.Diagnostics;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// A message accepted at the gateway, waiting to be handed to its conversation (with the header its ack echoes), with
/// when it was read (<see cref="GatewayMetrics.Timestamp"/>, for the ack latency) and the trace of the command that read it.
/// </summary>
internal readonly record struct PendingSend(PacketHeader Header, bool Group, SendMessage Message, long ReceivedAt = 0, ActivityContext Trace = default);
