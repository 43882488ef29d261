using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using TeamTalk.Orleans.Data;
using TeamTalk.Orleans.Data.Messages;
using TeamTalk.Orleans.Grains.Conversations;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Grains.Tests.Infrastructure;

namespace TeamTalk.Orleans.Grains.Tests;

/// <summary>
/// The silo's message committer on a real MariaDB: a batch commits in one transaction, a conversation whose id
/// watermark moved under it fails alone (invariant 2), and rows that collide with no watermark move fail the batch.
/// </summary>
public sealed class MessageCommitterTests : IAsyncLifetime
{
    private TestDatabase? database;
    private MySqlDataSource? dataSource;
    private MessageCommitter? committer;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        dataSource = new MySqlDataSource(database.ConnectionString);
        committer = new MessageCommitter(
            new MessageBatchWriter(new Database(dataSource, TimeProvider.System), NullLogger<MessageBatchWriter>.Instance),
            Options.Create(new MessageCommitterOptions()), TimeProvider.System, NullLogger<MessageCommitter>.Instance);
        await committer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await committer!.StopAsync(CancellationToken.None);
        committer.Dispose();
        await dataSource!.DisposeAsync();
        await database!.DisposeAsync();
    }

    [Fact]
    public async Task Messages_of_several_conversations_commit_with_their_rows_unread_counts_and_watermarks()
    {
        var token = Random.Shared.NextInt64(1, long.MaxValue);
        await Task.WhenAll(
            committer!.CommitAsync(Message(relateId: 101, from: 1, to: 2, msgId: 1, token)),
            committer.CommitAsync(Message(relateId: 101, from: 1, to: 2, msgId: 2, token)),
            committer.CommitAsync(Message(relateId: 102, from: 3, to: 4, msgId: 1, token)));

        Assert.Equal(2L, await LongAsync("SELECT COUNT(*) FROM IMMessage_5 WHERE relateId = 101"));
        Assert.Equal(1L, await LongAsync("SELECT COUNT(*) FROM IMMessage_6 WHERE relateId = 102"));
        Assert.Equal(2L, await LongAsync("SELECT lastMsgId FROM TeamTalkMsgIdWatermark WHERE relateId = 101"));
        Assert.Equal(2L, await LongAsync("SELECT unreadCount FROM TeamTalkUnread WHERE userId = 2 AND peerId = 1"));
    }

    [Fact]
    public async Task A_writer_behind_the_watermark_fails_alone_and_writes_nothing()
    {
        await committer!.CommitAsync(Message(relateId: 201, from: 11, to: 12, msgId: 1, writerToken: 11));

        // A second activation of the same conversation, started before id 1 was committed, also allocated id 1.
        var stale = committer.CommitAsync(Message(relateId: 201, from: 12, to: 11, msgId: 1, writerToken: 22));
        var other = committer.CommitAsync(Message(relateId: 202, from: 15, to: 16, msgId: 1, writerToken: 33));

        await Assert.ThrowsAsync<ConversationConflictException>(() => stale);
        await other;
        Assert.Equal(1L, await LongAsync("SELECT COUNT(*) FROM IMMessage_1 WHERE relateId = 201"));
        Assert.Equal(11L, await LongAsync("SELECT fromId FROM IMMessage_1 WHERE relateId = 201 AND msgId = 1"));
        Assert.Equal(0L, await LongAsync("SELECT COUNT(*) FROM TeamTalkUnread WHERE userId = 11"));
        Assert.Equal(11L, await LongAsync("SELECT writerToken FROM TeamTalkMsgIdWatermark WHERE relateId = 201"));
        Assert.Equal(1L, await LongAsync("SELECT COUNT(*) FROM IMMessage_2 WHERE relateId = 202"));
    }

    [Fact]
    public async Task Rows_above_the_watermark_that_collide_fail_the_batch_and_leave_no_trace()
    {
        // A row no watermark knows of (written behind our back): the unique key (relateId, msgId) refuses the insert.
        await database!.ScalarAsync("INSERT INTO IMMessage_5 (relateId, fromId, toId, msgId, content, type, status, created, updated) VALUES (301, 9, 10, 1, 'x', 1, 0, 1, 1)");

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => committer!.CommitAsync(Message(relateId: 301, from: 9, to: 10, msgId: 1, writerToken: 44)));

        Assert.IsType<MySqlException>(failed.InnerException);
        Assert.Equal(0L, await LongAsync("SELECT COUNT(*) FROM TeamTalkMsgIdWatermark WHERE relateId = 301"));
        Assert.Equal(0L, await LongAsync("SELECT COUNT(*) FROM TeamTalkUnread WHERE userId = 10"));

        // The committer goes on: the next batch commits.
        await committer!.CommitAsync(Message(relateId: 302, from: 17, to: 18, msgId: 1, writerToken: 55));
        Assert.Equal(1L, await LongAsync("SELECT COUNT(*) FROM IMMessage_6 WHERE relateId = 302"));
    }

    [Fact]
    public async Task Group_and_one_to_one_messages_commit_in_one_batch_and_group_senders_have_read_up_to_their_message()
    {
        var token = Random.Shared.NextInt64(1, long.MaxValue);
        await Task.WhenAll(
            committer!.CommitAsync(PendingMessage.ForGroup(groupId: 403, fromId: 41, msgId: 1, created: 1_700_000_000, type: MessageType.GroupText, content: "g1", token)),
            committer.CommitAsync(PendingMessage.ForGroup(groupId: 403, fromId: 42, msgId: 2, created: 1_700_000_000, type: MessageType.GroupText, content: "g2", token)),
            committer.CommitAsync(PendingMessage.ForGroup(groupId: 403, fromId: 41, msgId: 3, created: 1_700_000_001, type: MessageType.GroupText, content: "g3", token)),
            committer.CommitAsync(Message(relateId: 403, from: 41, to: 42, msgId: 1, token)));

        Assert.Equal("g1,g2,g3", await StringAsync("SELECT GROUP_CONCAT(content ORDER BY msgId) FROM IMGroupMessage_3 WHERE groupId = 403"));
        Assert.Equal(1L, await LongAsync("SELECT COUNT(*) FROM IMMessage_3 WHERE relateId = 403"));
        Assert.Equal(3L, await LongAsync("SELECT lastMsgId FROM TeamTalkGroupMsgIdWatermark WHERE groupId = 403"));
        Assert.Equal(1L, await LongAsync("SELECT lastMsgId FROM TeamTalkMsgIdWatermark WHERE relateId = 403"));
        Assert.Equal(3L, await LongAsync("SELECT readMsgId FROM TeamTalkUnread WHERE userId = 41 AND sessionType = 2 AND peerId = 403"));
        Assert.Equal(2L, await LongAsync("SELECT readMsgId FROM TeamTalkUnread WHERE userId = 42 AND sessionType = 2 AND peerId = 403"));
        Assert.Equal(1L, await LongAsync("SELECT unreadCount FROM TeamTalkUnread WHERE userId = 42 AND sessionType = 1 AND peerId = 41"));
    }

    [Fact]
    public async Task A_group_writer_behind_the_watermark_fails_alone_even_when_a_pair_has_the_same_id()
    {
        await committer!.CommitAsync(PendingMessage.ForGroup(groupId: 501, fromId: 51, msgId: 1, created: 1_700_000_000, type: MessageType.GroupText, content: "first", writerToken: 5));

        // Group 501 and relation 501 share the number, not the watermark.
        var stale = committer.CommitAsync(PendingMessage.ForGroup(groupId: 501, fromId: 52, msgId: 1, created: 1_700_000_000, type: MessageType.GroupText, content: "stale", writerToken: 6));
        var pair = committer.CommitAsync(Message(relateId: 501, from: 51, to: 52, msgId: 1, writerToken: 6));

        var conflict = await Assert.ThrowsAsync<ConversationConflictException>(() => stale);
        Assert.Contains("Group conversation 501", conflict.Message, StringComparison.Ordinal);
        await pair;
        Assert.Equal("first", await StringAsync("SELECT GROUP_CONCAT(content) FROM IMGroupMessage_5 WHERE groupId = 501"));
        Assert.Equal(1L, await LongAsync("SELECT COUNT(*) FROM IMMessage_5 WHERE relateId = 501"));
    }

    private async Task<long> LongAsync(string sql) =>
        Convert.ToInt64(await database!.ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string?> StringAsync(string sql) => await database!.ScalarAsync(sql) as string;

    private static PendingMessage Message(uint relateId, uint from, uint to, uint msgId, long writerToken) =>
        PendingMessage.ForPair(relateId, from, to, msgId, created: 1_700_000_000, type: MessageType.SingleText, content: $"m{msgId}", writerToken, recentSessionIds: []);
}
