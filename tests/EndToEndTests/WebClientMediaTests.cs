using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using MySqlConnector;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>One silo and one gateway serving the web client; three users in one department.</summary>
public sealed class WebClientMediaFixture : IAsyncLifetime
{
    public const string Department = "Media Lab";

    internal TestCluster Cluster { get; private set; } = null!;

    internal GatewayHandle Gateway => Cluster.Gateways[0];

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.CreateAsync();
        var users = await Cluster.Database.SeedUsersAsync(["m1", "m2", "m3"]);
        await using (var connection = new MySqlConnection(Cluster.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var department = new MySqlCommand(
                "INSERT INTO IMDepart (departName, priority, parentId, status, created, updated) VALUES (@name, 1, 0, 0, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())", connection);
            department.Parameters.AddWithValue("@name", Department);
            await department.ExecuteNonQueryAsync();
            await using var move = new MySqlCommand($"UPDATE IMUser SET departId = @department WHERE id IN ({string.Join(',', users.Select((_, i) => $"@u{i}"))})", connection);
            move.Parameters.AddWithValue("@department", department.LastInsertedId);
            for (var i = 0; i < users.Length; i++)
            {
                move.Parameters.AddWithValue($"@u{i}", users[i]);
            }

            Assert.Equal(users.Length, await move.ExecuteNonQueryAsync());
        }

        Cluster.GatewaySettings["TeamTalk:Gateway:LoginTimeout"] = "00:00:30";

        // The native test client sends no heartbeats while the browser works through its steps.
        Cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:02:00";
        await Cluster.StartSiloAsync();
        await Cluster.StartGatewayAsync(new Dictionary<string, string> { ["TeamTalk:Gateway:WebClient:Directory"] = WebSocketFixture.WebDist });
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// The web client in headless chromium (web/scripts/browser-media.mjs, playwright-core) against a native-protocol
/// client: department and live presence, a group's history and a live group line, a text and an image from the
/// browser read correctly by the native client (the image fetched back from msfs byte for byte), and a text and two
/// voice clips from the native client shown in the browser (a WAV clip playable; a real Ogg Speex recording with its
/// duration, a download, and a player that plays the WAV the gateway's decoder made of it: no browser decodes Speex).
/// </summary>
public sealed partial class WebClientMediaTests(WebClientMediaFixture fixture) : IClassFixture<WebClientMediaFixture>
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_native_client_and_the_web_client_exchange_text_images_voice_and_group_messages()
    {
        var browserUser = await fixture.Cluster.Database.UserIdAsync("m1");
        var nativeUser = await fixture.Cluster.Database.UserIdAsync("m2");
        await using var native = await Clients.LoginAsync(fixture.Gateway, "m2");
        var created = await Chat.RequestAsync<IMGroupCreateRsp>(native, CommandKeys.GroupCreateRequest, new IMGroupCreateReq
        {
            UserId = 0,
            GroupType = GroupType.Tmp,
            GroupName = "Media group",
            GroupAvatar = string.Empty,
            MemberIdList = { nativeUser, browserUser },
        }, CommandKeys.GroupCreateResponse);
        Assert.Equal(0u, created.ResultCode);
        await SendAsync(native, created.GroupId, MsgType.GroupText, Encoding.UTF8.GetBytes(ClientText.Encrypt("group history line")));

        var image = Path.Combine(TestSettings.RepositoryRoot, "docs", "images", "web-chat.png");
        var shots = Path.Combine(TestSettings.RepositoryRoot, "TestResults", "screenshots");
        var text = $"hello native from the browser {Guid.NewGuid():N}";
        await using var browser = BrowserScript.Start(
            $"http://127.0.0.1:{fixture.Gateway.HttpPort}/", "m1", TestDatabase.Password, "m2", "m3", WebClientMediaFixture.Department, "Media group", text, image, shots);

        await browser.StepAsync("logged-in");
        await using (await Clients.LoginAsync(fixture.Gateway, "m3"))
        {
            await browser.TellAsync("third-online");
            await browser.StepAsync("saw-online");
        }

        await browser.TellAsync("third-offline");
        await browser.StepAsync("saw-offline");

        await browser.StepAsync("group-open");
        await SendAsync(native, created.GroupId, MsgType.GroupText, Encoding.UTF8.GetBytes(ClientText.Encrypt("group live line")));
        await browser.TellAsync("group-live");
        await browser.StepAsync("group-live");

        await browser.StepAsync("sent");
        var fromBrowser = new List<IMMsgData>();
        while (fromBrowser.Count < 2)
        {
            var frame = await native.ReceiveAsync(CommandKeys.MessageData, Clients.Reply);
            Assert.True(frame is not null, $"the native client got {fromBrowser.Count} of the browser's 2 messages");
            var message = frame.Parse<IMMsgData>();
            if (message.FromUserId == browserUser && message.MsgType == MsgType.SingleText)
            {
                fromBrowser.Add(message);
            }
        }

        Assert.Equal(text, ClientText.Decrypt(fromBrowser[0].MsgData.ToStringUtf8()));
        var markup = ClientText.Decrypt(fromBrowser[1].MsgData.ToStringUtf8());
        Assert.StartsWith("&$#@~^@[{:", markup, StringComparison.Ordinal);
        Assert.EndsWith(":}]&$~@#@", markup, StringComparison.Ordinal);
        var url = markup["&$#@~^@[{:".Length..^":}]&$~@#@".Length];
        Assert.StartsWith($"http://127.0.0.1:{fixture.Gateway.MsfsPort}/g0/", url, StringComparison.Ordinal);
        var (status, contentType, body) = await MsfsHttp.GetAsync(url);
        Assert.Equal((200, "image/png"), (status, contentType));
        Assert.Equal(await File.ReadAllBytesAsync(image), body);

        await SendAsync(native, browserUser, MsgType.SingleText, Encoding.UTF8.GetBytes(ClientText.Encrypt("hello from the native client")));
        await SendAsync(native, browserUser, MsgType.SingleAudio, VoiceBody(1, Wav(TimeSpan.FromSeconds(1))));
        await SendAsync(native, browserUser, MsgType.SingleAudio, VoiceBody(3, SpeexRecorder.Record(SpeexRecorder.Tone(440, 3 * SpeexRecorder.NarrowbandRate))));
        await browser.TellAsync("native-sent");
        await browser.FinishAsync("MEDIA OK");
        foreach (var shot in new[] { "web-group.png", "web-media.png", "web-phone.png" })
        {
            Assert.True(File.Exists(Path.Combine(shots, shot)), $"no {shot}");
        }
    }

    private static async Task SendAsync(TeamTalkClient client, uint to, MsgType type, byte[] data)
    {
        var seq = await client.SendAsync(CommandKeys.MessageData, new IMMsgData
        {
            FromUserId = 0,
            ToSessionId = to,
            MsgId = 0,
            CreateTime = 0,
            MsgType = type,
            MsgData = ByteString.CopyFrom(data),
        });
        await Markers.UntilAsync(client, Markers.Reply(CommandKeys.MessageDataAck, seq), $"the ack of a {type} message");
    }

    /// <summary>A voice message's body as native clients send it (behaviour.md 1.5): seconds, big-endian, then the file.</summary>
    private static byte[] VoiceBody(uint seconds, byte[] audio)
    {
        var body = new byte[4 + audio.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body, seconds);
        audio.CopyTo(body, 4);
        return body;
    }

    /// <summary>A mono 16-bit 8 kHz WAV file of a 440 Hz tone.</summary>
    private static byte[] Wav(TimeSpan length)
    {
        const int rate = 8000;
        var samples = (int)(rate * length.TotalSeconds);
        var wav = new byte[44 + (samples * 2)];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], wav.Length - 8);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], samples * 2);
        for (var i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (i * 2))..], (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate)));
        }

        return wav;
    }

    /// <summary>browser-media.mjs as a child process, kept in step over its stdin and stdout.</summary>
    private sealed class BrowserScript : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly Task<string> errors;

        private BrowserScript(Process process)
        {
            this.process = process;
            errors = process.StandardError.ReadToEndAsync();
        }

        public static BrowserScript Start(params string[] arguments)
        {
            var startInfo = new ProcessStartInfo("node")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.Combine(TestSettings.RepositoryRoot, "web"),
            };
            startInfo.ArgumentList.Add("scripts/browser-media.mjs");
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            return new BrowserScript(Process.Start(startInfo)!);
        }

        /// <summary>Reads the script's output up to the line <c>STEP name</c>; fails with what it printed when it ends first.</summary>
        public Task StepAsync(string name) => LineAsync($"STEP {name}");

        public async Task TellAsync(string line)
        {
            await process.StandardInput.WriteLineAsync(line);
            await process.StandardInput.FlushAsync();
        }

        public async Task FinishAsync(string last)
        {
            await LineAsync(last);
            using var timeout = new CancellationTokenSource(StepTimeout);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"the browser script exited with {process.ExitCode}: {output} {await errors}");
        }

        private async Task LineAsync(string expected)
        {
            using var timeout = new CancellationTokenSource(StepTimeout);
            while (true)
            {
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    line = null;
                }

                if (line is null)
                {
                    Assert.Fail($"the browser script did not print \"{expected}\" within {StepTimeout}; output: {output}; errors: {(process.HasExited ? await errors : "(still running)")}");
                }

                output.AppendLine(line);
                if (line == expected)
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
