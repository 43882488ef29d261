using System.Text.Unicode;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_DATA</c> (behaviour.md 3.4.1), 1:1 text: validated here (from := self, no message to self, non-empty
/// valid UTF-8 text of at most 4096 characters, the per-connection rate limit), then sent to the conversation's Session
/// grain, which answers once the message is committed; only then is <c>IMMsgDataAck</c> sent (seq echo). Frames of a
/// connection are handled one at a time, so its messages reach the Session in the order the client sent them.
/// </summary>
internal sealed class MessageDataHandler(
    IGrainFactory grains,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    ConnectionLog log) : CommandHandler<IMMsgData>(log)
{
    private readonly GatewayOptions settings = options.Value;

    public override CommandKey Command => CommandKeys.MessageData;

    protected override async ValueTask HandleAsync(ClientConnection connection, PacketHeader header, IMMsgData request)
    {
        var self = connection.UserId;
        var to = request.ToSessionId;
        var rejection = request.MsgType switch
        {
            MsgType.SingleText => Validate(self, to, request.MsgData.Span),
            MsgType.SingleAudio => "audio messages need the voice store, which this server does not have yet",
            _ => "group messages are not served yet",
        };
        if (rejection is not null)
        {
            Log.Rejected(connection, header, rejection);
            return;
        }

        // Counted at arrival: every frame of one read shares the time that read completed, however long they wait here.
        if (!connection.MessageRate.TryAccept(connection.LastReceivedMs, settings.MessageRateLimit))
        {
            return; // counted; the sweeper logs one line per second with the number dropped
        }

        SendResult result;
        try
        {
            result = await grains.GetSingleSession(self, to).SendAsync(new SendMessage(
                self, to, new ConnectionRef(gateway.Id, connection.Id), (uint)request.MsgType, request.MsgData.ToByteArray()));
        }
        catch (Exception ex)
        {
            Log.SendFailed(ex, connection.Id, self, to);
            return;
        }

        if (result.Status != SendStatus.Committed)
        {
            Log.Rejected(connection, header, $"message to unknown user {to}");
            return;
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.MessageDataAck, header.SeqNum, new IMMsgDataAck
        {
            UserId = self,
            SessionId = to,
            MsgId = result.MsgId,
            SessionType = SessionType.Single,
        }));
    }

    private string? Validate(uint self, uint to, ReadOnlySpan<byte> data)
    {
        if (to == 0 || to == self)
        {
            return $"message to {(to == 0 ? "user 0" : "self")}";
        }

        if (data.IsEmpty)
        {
            return "empty message";
        }

        if (!Utf8.IsValid(data))
        {
            return "message text is not valid UTF-8";
        }

        var characters = 0;
        while (!data.IsEmpty)
        {
            System.Text.Rune.DecodeFromUtf8(data, out _, out var consumed);
            data = data[consumed..];
            if (++characters > settings.MaxMessageChars)
            {
                return $"message text longer than {settings.MaxMessageChars} characters";
            }
        }

        return null;
    }
}
