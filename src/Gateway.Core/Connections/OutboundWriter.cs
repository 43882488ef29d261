using System.IO.Pipelines;
using System.Threading.Channels;

namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>
/// The writer loop of a client or file connection: drains its outbound queue into the socket, flushing once per burst,
/// until the queue completes, the socket closes or the connection is aborted (what is left is dropped then). A frame
/// lacking a required field is skipped and reported; whatever the transport fails with (a reset, or a SocketException
/// such as ETIMEDOUT that the socket transport completes the pipe with) ends the loop and is reported, never thrown, so
/// the connection's close always runs.
/// </summary>
internal static class OutboundWriter
{
    public static async Task RunAsync(
        ChannelReader<OutboundFrame> queue, PipeWriter output, Func<bool> aborted, Action<OutboundFrame> incomplete, Action<Exception> failed)
    {
        try
        {
            while (await queue.WaitToReadAsync())
            {
                while (!aborted() && queue.TryRead(out var frame))
                {
                    if (!frame.TryWriteTo(output))
                    {
                        incomplete(frame);
                    }
                }

                if (aborted())
                {
                    return;
                }

                var flushed = await output.FlushAsync();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            failed(ex);
        }
    }
}
