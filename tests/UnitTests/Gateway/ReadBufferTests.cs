using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using TeamTalk.Orleans.Gateway;

namespace TeamTalk.Orleans.UnitTests.Gateway;

/// <summary>The socket transport's read buffer holds the largest frame the settings allow, and one read more.</summary>
public sealed class ReadBufferTests
{
    [Theory]
    [InlineData(1024 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    [InlineData(64 * 1024 * 1024)]
    public void The_read_buffer_holds_the_largest_allowed_frame(int maxPacketBytes)
    {
        var socket = new SocketTransportOptions();
        var defaultBuffer = socket.MaxReadBufferSize;

        GatewayHostingExtensions.FitReadBuffer(socket, new GatewayOptions { MaxPacketBytes = maxPacketBytes });

        Assert.True(socket.MaxReadBufferSize > maxPacketBytes, $"{socket.MaxReadBufferSize} bytes for frames of {maxPacketBytes}");
        Assert.True(socket.MaxReadBufferSize >= defaultBuffer);
    }

    [Fact]
    public void An_unlimited_buffer_stays_unlimited()
    {
        var socket = new SocketTransportOptions { MaxReadBufferSize = null };
        GatewayHostingExtensions.FitReadBuffer(socket, new GatewayOptions());
        Assert.Null(socket.MaxReadBufferSize);
    }
}
