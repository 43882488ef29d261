using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>A message accepted at the gateway, waiting to be handed to its conversation (with the header its ack echoes).</summary>
internal readonly record struct PendingSend(PacketHeader Header, bool Group, SendMessage Message);
