using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>
/// "Nothing else arrives" without waiting for quiet. After the action whose unwanted effect a test rules out, the test
/// causes a marker: a frame the server queues on the same connection only after anything that action could have queued
/// there. It then reads up to the marker; whatever did not come before it cannot come at all. Every caller says why
/// its marker comes after the frames it rules out (a connection's frames are written in the order they were queued).
/// </summary>
internal static class Markers
{
    /// <summary>
    /// Frames up to and including the first one matching <paramref name="marker"/> (the last element); fails the test
    /// when the marker does not arrive within <see cref="Clients.Reply"/>. Frames already taken off the connection
    /// (<paramref name="received"/>, in arrival order) are looked at first.
    /// </summary>
    public static async Task<List<ReceivedFrame>> UntilAsync(
        TeamTalkClient client, Func<ReceivedFrame, bool> marker, string what, IEnumerable<ReceivedFrame>? received = null)
    {
        var frames = new List<ReceivedFrame>();
        foreach (var frame in received ?? [])
        {
            frames.Add(frame);
            if (marker(frame))
            {
                return frames;
            }
        }

        var deadline = DateTime.UtcNow + Clients.Reply;
        while (true)
        {
            var frame = await client.ReceiveAsync(deadline - DateTime.UtcNow);
            Assert.True(frame is not null, $"the marker ({what}) did not arrive within {Clients.Reply}; before it: {Describe(frames)}");
            frames.Add(frame);
            if (marker(frame))
            {
                return frames;
            }
        }
    }

    /// <summary>Reads up to the marker and fails as soon as a frame before it is <paramref name="unwanted"/>; returns the frames read.</summary>
    public static Task<List<ReceivedFrame>> AssertNoneBeforeAsync(
        TeamTalkClient client, Func<ReceivedFrame, bool> unwanted, Func<ReceivedFrame, bool> marker, string what) =>
        UntilAsync(client, frame =>
        {
            Assert.False(!marker(frame) && unwanted(frame), $"{What(frame)} arrived before the marker ({what})");
            return marker(frame);
        }, what);

    /// <summary>
    /// The round-trip marker: sends a time request on <paramref name="client"/> and reads up to its response, failing
    /// when a frame before it is <paramref name="unwanted"/>. The gateway handles a connection's frames one at a time
    /// and queues the response when it handles the request, so it comes after everything queued on the connection
    /// before the request arrived, and after every reply (or push awaited by the handler) of earlier requests.
    /// </summary>
    public static async Task<List<ReceivedFrame>> AssertNoneBeforeRoundTripAsync(TeamTalkClient client, Func<ReceivedFrame, bool> unwanted, string what)
    {
        var seq = await client.SendAsync(CommandKeys.TimeRequest, new IMClientTimeReq());
        return await AssertNoneBeforeAsync(client, unwanted, Reply(CommandKeys.TimeResponse, seq), $"time response after {what}");
    }

    /// <summary>Frames of one command.</summary>
    public static Func<ReceivedFrame, bool> Command(CommandKey command) => frame => frame.Command == command;

    /// <summary>The reply of one command to the request with <paramref name="seq"/>.</summary>
    public static Func<ReceivedFrame, bool> Reply(CommandKey command, ushort seq) => frame => frame.Command == command && frame.Header.SeqNum == seq;

    /// <summary>The push of message <paramref name="msgId"/> to the session <paramref name="toSessionId"/> (a group, or the receiver of a 1:1 text).</summary>
    public static Func<ReceivedFrame, bool> Message(uint toSessionId, uint msgId) => frame =>
        frame.Command == CommandKeys.MessageData && frame.Parse<IMMsgData>() is var message && message.ToSessionId == toSessionId && message.MsgId == msgId;

    private static string What(ReceivedFrame frame) =>
        $"0x{frame.Command.ServiceId:x}/0x{frame.Command.CommandId:x4} (seq {frame.Header.SeqNum})";

    private static string Describe(List<ReceivedFrame> frames) => frames.Count == 0 ? "nothing" : string.Join(", ", frames.Select(What));
}
