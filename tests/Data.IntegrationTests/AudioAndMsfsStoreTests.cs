using MySqlConnector;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Data.Msfs;
using TeamTalk.Orleans.Data.Schema;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Data.IntegrationTests;

/// <summary>Audio rows in a message batch and the msfs entries, on a real MariaDB.</summary>
public sealed class AudioAndMsfsStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const uint RelateId = 17; // IMMessage_1
    private const uint GroupId = 25;  // IMGroupMessage_1
    private MySqlDataSource? dataSource;

    private Database Database => new(dataSource!, TimeProvider.System);

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ListLogger<SchemaMigrator>()).ApplyAsync(fixture.ConnectionString, CancellationToken.None);
        dataSource = new MySqlDataSource(fixture.ConnectionString);
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task An_audio_message_commits_with_its_IMAudio_row_and_names_it_while_text_around_it_stays_text()
    {
        var blob = new string('a', 32);
        var messages = new[]
        {
            PendingMessage.ForPair(RelateId, 1, 2, 1, 1_700_000_000, MessageType.SingleText, "before", 7, []),
            PendingMessage.ForPair(RelateId, 1, 2, 2, 1_700_000_001, MessageType.SingleAudio, string.Empty, 7, [])
                .WithAudio(new PendingAudio(1, 2, blob, 3000, 4, 1_700_000_001)),
            PendingMessage.ForPair(RelateId, 2, 1, 3, 1_700_000_002, MessageType.SingleText, "after", 7, []),
            PendingMessage.ForGroup(GroupId, 1, 1, 1_700_000_003, MessageType.GroupAudio, string.Empty, 8)
                .WithAudio(new PendingAudio(1, GroupId, blob, 10, 1, 1_700_000_003)),
        };

        Assert.Empty(await new MessageBatchWriter(Database, new ListLogger<MessageBatchWriter>()).TryWriteAsync(messages, 1_700_000_010));

        var pair = await new MessageStore(Database).ByIdsAsync(ConversationKind.Pair, RelateId, [1, 2, 3], since: 0);
        Assert.Equal(["after", "before"], pair.Where(m => m.MsgType == MessageType.SingleText).Select(m => System.Text.Encoding.UTF8.GetString(m.Data)));
        var audioId = uint.Parse(System.Text.Encoding.ASCII.GetString(Assert.Single(pair, m => m.MsgType == MessageType.SingleAudio).Data), System.Globalization.CultureInfo.InvariantCulture);
        var group = Assert.Single(await new MessageStore(Database).ByIdsAsync(ConversationKind.Group, GroupId, [1], since: 0));
        var groupAudioId = uint.Parse(System.Text.Encoding.ASCII.GetString(group.Data), System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(audioId, groupAudioId);

        var rows = await new AudioStore(Database).FindAsync([audioId, groupAudioId, 999_999]);
        Assert.Equal((blob, 4u), rows[audioId]);
        Assert.Equal((blob, 1u), rows[groupAudioId]);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task An_msfs_path_is_recorded_once_and_found_with_its_blob_and_type()
    {
        var store = new MsfsStore(Database);
        var entry = new MsfsEntry($"g0/001/002/{Guid.NewGuid():N}.png", new string('b', 32), "image/png", 102_400, 1_700_000_000);

        Assert.True(await store.AddAsync(entry));
        Assert.False(await store.AddAsync(entry with { BlobName = new string('c', 32) }));
        Assert.Equal(entry, await store.FindAsync(entry.Path));
        Assert.Null(await store.FindAsync("g0/001/002/none.png"));
    }
}
