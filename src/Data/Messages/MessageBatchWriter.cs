using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace TeamTalk.Orleans.Data.Messages;

/// <summary>
/// Writes a batch of messages of any conversations in one transaction and two round trips: every statement
/// (<see cref="MessageBatchSql"/>, the transaction's start included) goes in one command, and the watermark rows read
/// back from it decide between COMMIT and ROLLBACK. The caller (the silo's committer) decides what goes in a batch and
/// what to do with a conflict.
/// </summary>
public sealed partial class MessageBatchWriter(Database database, ILogger<MessageBatchWriter> logger)
{
    /// <summary>
    /// Writes <paramref name="messages"/>; returns the writers whose watermark moved under them (then nothing was
    /// committed). When a moved conversation's rows collide with the other writer's (duplicate key), the watermarks alone
    /// are checked again in a transaction of their own; rows that collide although no watermark moved throw.
    /// </summary>
    public async Task<HashSet<WriterKey>> TryWriteAsync(IReadOnlyList<PendingMessage> messages, uint now)
    {
        var moves = MessageBatchSql.Moves(messages);
        await using var connection = await database.OpenAsync();
        MySqlException? collision;
        try
        {
            await using var batch = new MessageBatchSql(connection);
            batch.AdvanceWatermarks(moves, now);
            batch.InsertMessages(messages);
            batch.TouchRecentSessions(messages, now);
            batch.CountUnread(messages, now);
            batch.MoveGroupSendersReadPositions(messages, now);
            var conflicts = MessageBatchSql.Conflicts(moves, await batch.ExecuteAsync());
            await EndTransactionAsync(connection, commit: conflicts.Count == 0);
            return conflicts;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            collision = ex;
            await EndTransactionAsync(connection, commit: false);
        }
        catch
        {
            await RollBackQuietlyAsync(connection);
            throw;
        }

        try
        {
            await using var batch = new MessageBatchSql(connection);
            batch.AdvanceWatermarks(moves, now);
            var conflicts = MessageBatchSql.Conflicts(moves, await batch.ExecuteAsync());
            await EndTransactionAsync(connection, commit: false);
            if (conflicts.Count == 0)
            {
                // Rows above every watermark already exist: not a concurrent writer; fail the batch, the conversations reload.
                throw new InvalidOperationException("message rows collided although no watermark moved", collision);
            }

            return conflicts;
        }
        catch (MySqlException)
        {
            await RollBackQuietlyAsync(connection);
            throw;
        }
    }

    private static async Task EndTransactionAsync(MySqlConnection connection, bool commit)
    {
        await using var end = new MySqlCommand(commit ? "COMMIT" : "ROLLBACK", connection);
        await end.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// After a failure: ends the transaction. When even that fails, the pool is cleared so that no pooled connection
    /// goes on inside a transaction (pooled connections are not reset when taken; the server rolls back on close).
    /// </summary>
    private async Task RollBackQuietlyAsync(MySqlConnection connection)
    {
        try
        {
            await EndTransactionAsync(connection, commit: false);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            LogRollbackFailed(ex);
            await MySqlConnection.ClearPoolAsync(connection);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolling back a failed batch failed too; the connection pool is cleared, which ends the transaction on the server")]
    private partial void LogRollbackFailed(Exception exception);
}
