using Google.Protobuf;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>Chat helpers: sending 1:1 text and collecting what arrives.</summary>
internal static class Chat
{
    /// <summary>Sends a 1:1 text (the client's from/msg_id/create_time are placeholders the server overrides); returns the seq.</summary>
    public static Task<ushort> SendTextAsync(TeamTalkClient client, uint to, string text, uint claimedFrom = 0) =>
        client.SendAsync(CommandKeys.MessageData, Text(to, text, claimedFrom));

    public static IMMsgData Text(uint to, string text, uint claimedFrom = 0) => new()
    {
        FromUserId = claimedFrom,
        ToSessionId = to,
        MsgId = 0,
        CreateTime = 0,
        MsgType = MsgType.SingleText,
        MsgData = ByteString.CopyFromUtf8(text),
    };

    /// <summary>Receives frames of one command until <paramref name="count"/> arrived or <paramref name="timeout"/> passed.</summary>
    public static async Task<List<ReceivedFrame>> CollectAsync(TeamTalkClient client, CommandKey command, int count, TimeSpan timeout)
    {
        var frames = new List<ReceivedFrame>();
        var deadline = DateTime.UtcNow + timeout;
        while (frames.Count < count && DateTime.UtcNow < deadline)
        {
            var frame = await client.ReceiveAsync(command, deadline - DateTime.UtcNow);
            if (frame is null)
            {
                break;
            }

            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>Every frame that arrives until the connection stays quiet for <paramref name="quiet"/> (or <paramref name="max"/> passed).</summary>
    public static async Task<List<ReceivedFrame>> DrainAsync(TeamTalkClient client, TimeSpan quiet, TimeSpan max)
    {
        var frames = new List<ReceivedFrame>();
        var deadline = DateTime.UtcNow + max;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await client.ReceiveAsync(quiet);
            if (frame is null)
            {
                break;
            }

            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>
    /// Sends a request and returns the reply of the given command with the echoed seq. Frames that arrive before it are
    /// skipped, or kept in <paramref name="before"/>.
    /// </summary>
    public static async Task<T> RequestAsync<T>(TeamTalkClient client, CommandKey request, IMessage body, CommandKey response, List<ReceivedFrame>? before = null)
        where T : IMessage<T>, new()
    {
        var seq = await client.SendAsync(request, body);
        var frames = await Markers.UntilAsync(client, frame => frame.Command == response, $"reply {response}");
        var reply = frames[^1];
        before?.AddRange(frames.SkipLast(1));
        Assert.Equal(seq, reply.Header.SeqNum);
        return reply.Parse<T>();
    }
}
