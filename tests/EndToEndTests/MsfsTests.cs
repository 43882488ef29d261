using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>msfs on a real gateway's own port (behaviour.md 2.2): uploads of images and audio, downloads, rejections.</summary>
[Collection(DevClusterCollection.Name)]
public sealed partial class MsfsTests(DevClusterFixture fixture)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task A_png_is_stored_under_a_path_we_make_and_downloads_as_image_png()
    {
        var png = Png(100 * 1024);
        var answer = await MsfsHttp.UploadAsync(fixture.Gateway, "../../evil_640x480.png", png);

        Assert.Equal(0, answer.GetProperty("error_code").GetInt32());
        Assert.Equal("成功", answer.GetProperty("error_msg").GetString());
        var path = answer.GetProperty("path").GetString()!;
        Assert.Matches(PathShape(), path);
        Assert.EndsWith("_640x480.png", path, StringComparison.Ordinal);
        var url = answer.GetProperty("url").GetString()!;
        Assert.Equal($"http://127.0.0.1:{fixture.Gateway.MsfsPort}/{path}", url);

        var (status, type, body) = await MsfsHttp.GetAsync(url);
        Assert.Equal((200, "image/png"), (status, type));
        Assert.Equal(png, body);
    }

    [Fact]
    public async Task An_audio_clip_is_stored_and_downloads_with_its_bytes()
    {
        var clip = RandomNumberGenerator.GetBytes(7000);
        var answer = await MsfsHttp.UploadAsync(fixture.Gateway, "1.audio", clip, "application/octet-stream");

        Assert.Equal(0, answer.GetProperty("error_code").GetInt32());
        var path = answer.GetProperty("path").GetString()!;
        Assert.Matches(PathShape(), path);
        Assert.EndsWith(".audio", path, StringComparison.Ordinal);

        var (status, type, body) = await MsfsHttp.GetAsync(answer.GetProperty("url").GetString()!);
        Assert.Equal((200, "application/octet-stream"), (status, type));
        Assert.Equal(clip, body);
    }

    [Fact]
    public async Task Paths_with_dot_dot_are_refused_and_name_nothing_outside_the_store()
    {
        var get = await MsfsHttp.RawAsync(fixture.Gateway, "GET /g0/../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404", get, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", get, StringComparison.Ordinal);

        var encoded = await MsfsHttp.RawAsync(fixture.Gateway, "GET /g0/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404", encoded, StringComparison.Ordinal);

        var post = await MsfsHttp.RawAsync(fixture.Gateway, "POST /../x HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 0\r\n\r\n");
        AssertRejected(MsfsHttp.JsonBody(post), 7, "格式错误");

        var (status, _, body) = await MsfsHttp.GetAsync($"http://127.0.0.1:{fixture.Gateway.MsfsPort}/g0/000/000/none.png");
        Assert.Equal(404, status);
        Assert.Empty(body);
    }

    [Fact]
    public async Task An_upload_over_10_MiB_is_refused_as_too_large()
    {
        var response = await MsfsHttp.RawAsync(fixture.Gateway,
            $"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {(10 * 1024 * 1024) + 1}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        AssertRejected(MsfsHttp.JsonBody(response), 1, "上传文件过大");
    }

    [Fact]
    public async Task Files_that_are_neither_images_nor_audio_are_refused()
    {
        AssertRejected(await MsfsHttp.UploadAsync(fixture.Gateway, "page.html", "<html></html>"u8.ToArray(), "text/html"), 12, "文件类型错误");
        AssertRejected(await MsfsHttp.UploadAsync(fixture.Gateway, "fake.png", "not a png at all"u8.ToArray()), 12, "文件类型错误");
        AssertRejected(await MsfsHttp.UploadAsync(fixture.Gateway, "noextension", Png(100)), 5, "格式错误");
    }

    [Fact]
    public async Task The_msfs_port_serves_msfs_only()
    {
        var discovery = await MsfsHttp.RawAsync(fixture.Gateway, "GET /msg_server HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404", discovery, StringComparison.Ordinal);
        var put = await MsfsHttp.RawAsync(fixture.Gateway, "PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403", put, StringComparison.Ordinal);
    }

    private static void AssertRejected(JsonElement answer, int code, string message)
    {
        Assert.Equal(code, answer.GetProperty("error_code").GetInt32());
        Assert.Equal(message, answer.GetProperty("error_msg").GetString());
        Assert.Equal(string.Empty, answer.GetProperty("path").GetString());
        Assert.Equal(string.Empty, answer.GetProperty("url").GetString());
    }

    /// <summary>A PNG signature followed by random bytes (msfs checks the signature, not the whole image).</summary>
    private static byte[] Png(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        PngSignature.CopyTo(bytes, 0);
        return bytes;
    }

    [GeneratedRegex(@"^g0/\d{3}/\d{3}/\d+_[0-9a-f]{8}(_\d{1,4}x\d{1,4})?\.[a-z0-9]{1,15}$")]
    private static partial Regex PathShape();
}
