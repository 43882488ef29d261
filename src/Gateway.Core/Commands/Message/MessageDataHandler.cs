using System.Diagnostics;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;
using SessionType = TeamTalk.Orleans.Protocol.Messages.BaseDefine.SessionType;

namespace TeamTalk.Orleans.Gateway.Commands.Message;

/// <summary>
/// <c>CID_MSG_DATA</c> (behaviour.md 3.4.1), 1:1 and group, text and audio: validated here (from := self, no message to
/// self or to group 0, non-empty valid UTF-8 text of at most 4096 characters, audio of more than 4 bytes, the
/// per-connection rate limit), then queued on the
/// connection's <see cref="MessagePipeline"/>, which hands its messages to their conversation grains (Relation or Group)
/// one at a time in the order the client sent them (an audio message's voice is first committed to the blob store,
/// <see cref="VoiceStore"/>); the grain answers once the message is committed, and only then is
/// <c>IMMsgDataAck</c> sent (seq echo). The connection goes on reading meanwhile. A group message from a non-member is
/// dropped with a logged reason, as the original drops it (no error exists on the wire).
/// </summary>
internal sealed class MessageDataHandler(
    IGrainFactory grains,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    VoiceStore voices,
    MessageRate rate,
    ConnectionLog log) : CommandHandler<IMMsgData>(log)
{
    private readonly GatewayOptions settings = options.Value;
    private Func<IClientConnection, PendingSend, Task>? commit; // CommitAsync, made once

    public override CommandKey Command => CommandKeys.MessageData;

    protected override ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMMsgData request)
    {
        var self = connection.UserId;
        var to = request.ToSessionId;
        var rejection = request.MsgType switch
        {
            MsgType.SingleText => Validate(to == self ? "message to self" : null, to, request.MsgData.Span),
            MsgType.GroupText => Validate(null, to, request.MsgData.Span),
            MsgType.SingleAudio => ValidateAudio(to == self ? "message to self" : null, to, request.MsgData.Length),
            _ => ValidateAudio(null, to, request.MsgData.Length),
        };
        if (rejection is not null)
        {
            Log.Rejected(connection, header, rejection, RejectMetric.InvalidMessage);
            return ValueTask.CompletedTask;
        }

        if (!connection.TryAcceptMessage())
        {
            Log.Metrics.Rejected(RejectMetric.RateLimited);
            return ValueTask.CompletedTask; // counted; the sweeper logs one line per second with the number dropped
        }

        rate.Accepted();

        var type = (MessageType)request.MsgType;
        var pending = new PendingSend(header, request.MsgType is MsgType.GroupText or MsgType.GroupAudio, new SendMessage(
            self, to, new ConnectionRef(gateway.Id, connection.Id), type, request.MsgData.ToByteArray()),
            Log.Metrics.Timestamp(), Activity.Current?.Context ?? default);
        if (connection.TryQueueMessage(pending, commit ??= CommitAsync))
        {
            Log.Metrics.Received(type);
        }
        else
        {
            Log.Rejected(connection, header, $"more than {settings.MessageQueueCapacity} messages waiting for their commit", RejectMetric.QueueFull);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Hands one message to its conversation grain; acknowledges it (seq echo) once committed.</summary>
    private async Task CommitAsync(IClientConnection connection, PendingSend pending)
    {
        var message = pending.Message;
        // The pipeline's loop runs in the context of the command that started it: this message's span is a child of
        // the command that read it instead, and the grain calls below are children of this span.
        Activity.Current = null;
        using var activity = GatewayTracing.Source.StartActivity("SendMessage", ActivityKind.Internal, pending.Trace);
        SendResult result;
        try
        {
            if (message.MsgType.IsAudio())
            {
                message = message with { Audio = await voices.StoreAsync(message.Data) };
            }

            result = await connection.Conversation(pending.Group, message.ToSessionId, grains).SendAsync(message);
        }
        catch (Exception ex)
        {
            Log.SendFailed(ex, connection.Id, message.FromUserId, message.ToSessionId);
            Log.Metrics.Failed(message.MsgType);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return; // a voice already stored stays: the message may have committed although the call failed
        }

        Log.SendSucceeded();

        if (result.Status != SendStatus.Committed && message.Audio is { } clip)
        {
            try
            {
                await voices.DeleteAsync(clip);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The refusal below still goes out; the connection's later messages still go on.
                Log.ClipDeleteFailed(ex, connection.Id, clip.BlobName);
            }
        }

        if (result.Status != SendStatus.Committed)
        {
            Log.Rejected(connection, pending.Header, result.Status == SendStatus.NotMember
                ? $"message to group {message.ToSessionId}, which does not exist or of which the sender is not a member"
                : $"message to unknown user {message.ToSessionId}", RejectMetric.UnknownReceiver);
            return;
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.MessageDataAck, pending.Header.SeqNum, new IMMsgDataAck
        {
            UserId = message.FromUserId,
            SessionId = message.ToSessionId,
            MsgId = result.MsgId,
            SessionType = pending.Group ? SessionType.Group : SessionType.Single,
        }));
        Log.Metrics.Acked(message.MsgType, pending.ReceivedAt);
    }

    private static string? ValidateAudio(string? addressing, uint to, int length) =>
        to == 0 || addressing is not null ? addressing ?? "message to session 0"
        : length < VoiceStore.MinDataLength ? $"audio message of {length} bytes (the duration alone takes 4)"
        : null;

    private string? Validate(string? addressing, uint to, ReadOnlySpan<byte> data)
    {
        if (to == 0 || addressing is not null)
        {
            return addressing ?? "message to session 0";
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
