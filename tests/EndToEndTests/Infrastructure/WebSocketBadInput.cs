using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>Bad input that every WebSocket endpoint of the gateway (<c>/ws</c>, <c>/ws/file</c>) refuses before its connection sees a frame.</summary>
internal static class WebSocketBadInput
{
    /// <summary>
    /// Sends <paramref name="input"/> when it is "text" (a text message) or "oversized" (a frame one byte over
    /// <paramref name="maxPacketBytes"/>): the close status expected and a piece of the gateway's log line; null for other inputs.
    /// </summary>
    public static async Task<(WebSocketCloseStatus Status, string Logged)?> TrySendAsync(WebSocketClient web, string input, int maxPacketBytes)
    {
        switch (input)
        {
            case "text":
                await web.SendMessageAsync(Encoding.UTF8.GetBytes("{\"hello\":1}"), WebSocketMessageType.Text, endOfMessage: true);
                return (WebSocketCloseStatus.InvalidMessageType, "closing: text message");
            case "oversized":
            {
                var big = new byte[maxPacketBytes + 1];
                BinaryPrimitives.WriteUInt32BigEndian(big, (uint)big.Length);
                await web.SendMessageAsync(big, WebSocketMessageType.Binary, endOfMessage: true);
                return (WebSocketCloseStatus.MessageTooBig, $"exceeds the {maxPacketBytes}-byte limit");
            }

            default:
                return null;
        }
    }
}
