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
    /// are checked again in a transaction of their own; rows that collide although no watermark moved throw. A COMMIT
    /// that fails is resolved by reading the watermarks back (<see cref="CommitAsync"/>): committed after all, the batch
    /// succeeds; otherwise it throws.
    /// </summary>
    public async Task<HashSet<WriterKey>> TryWriteAsync(IReadOnlyList<PendingMessage> messages, uint now)
    {
        var moves = MessageBatchSql.Moves(messages);
        await using var connection = await database.OpenAsync();
        try
        {
            await using var batch = new MessageBatchSql(connection);
            batch.AdvanceWatermarks(moves, now);
            batch.InsertMessages(messages);
            batch.TouchRecentSessions(messages, now);
            batch.CountUnread(messages, now);
            batch.MoveGroupSendersReadPositions(messages, now);
            var conflicts = MessageBatchSql.Conflicts(moves, await batch.ExecuteAsync());
            if (conflicts.Count > 0)
            {
                await EndTransactionAsync(connection, commit: false);
                return conflicts;
            }
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            await RollBackQuietlyAsync(connection);
            return await CheckWatermarksAsync(connection, moves, now, ex);
        }
        catch
        {
            await RollBackQuietlyAsync(connection);
            throw;
        }

        await CommitAsync(connection, moves);
        return [];
    }

    /// <summary>
    /// Commits. When the COMMIT fails, whatever with, its outcome is unknown (the server may have committed and the answer
    /// been lost with the connection). From a new connection the old session is killed (if it is still there, its
    /// transaction then ends at once instead of when its socket times out), and the watermark rows are read with locks,
    /// which waits for that transaction's end. They carry this batch's last ids and writer tokens exactly when it
    /// committed (no other transaction can write those pairs): then the batch is committed after all; otherwise, or when
    /// that cannot be read, the failure stands.
    /// </summary>
    private async Task CommitAsync(MySqlConnection connection, List<WatermarkMove> moves)
    {
        var session = connection.ServerThread;
        try
        {
            await EndTransactionAsync(connection, commit: true);
        }
        catch (Exception ex)
        {
            bool committed;
            try
            {
                committed = await CommittedAsync(session, moves);
            }
            catch (Exception check) when (check is MySqlException or IOException or InvalidOperationException)
            {
                LogCommitUnknown(check);
                committed = false;
            }
            finally
            {
                // Killed or broken: found so now, so that the session is not pooled for the next caller.
                await connection.PingAsync();
            }

            if (!committed)
            {
                throw;
            }

            LogCommitConfirmed(ex, moves.Count);
        }
    }

    /// <summary>Kills session <paramref name="session"/>, then whether every move's watermark row holds its last id and writer token.</summary>
    private async Task<bool> CommittedAsync(int session, List<WatermarkMove> moves)
    {
        await using var connection = await database.OpenAsync();
        await using (var kill = new MySqlCommand("KILL CONNECTION @session", connection))
        {
            kill.Parameters.AddWithValue("@session", session);
            try
            {
                await kill.ExecuteNonQueryAsync();
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchThread)
            {
                // Gone already (the usual case: the connection broke).
            }
        }

        // Without a transaction: the locking read still waits for the old one's end; its own locks last the statement.
        await using var check = new MessageBatchSql(connection, transaction: false);
        check.LockWatermarks(moves);
        return MessageBatchSql.Conflicts(moves, await check.ExecuteAsync()).Count == 0;
    }

    /// <summary>
    /// The batch's rows collided with existing ones (duplicate key): the watermarks alone are moved again in a
    /// transaction of their own, then rolled back. Moved under the batch: those writers' conflicts; not moved: rows above
    /// every watermark exist, which no concurrent writer explains, and the batch fails.
    /// </summary>
    private async Task<HashSet<WriterKey>> CheckWatermarksAsync(MySqlConnection connection, List<WatermarkMove> moves, uint now, MySqlException collision)
    {
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
    /// After a failure: ends the transaction. When even that fails, the session is reset (which ends its transaction) or,
    /// failing that, found broken, so that no pooled connection goes on inside a transaction (pooled connections are not
    /// reset when taken).
    /// </summary>
    private async Task RollBackQuietlyAsync(MySqlConnection connection)
    {
        try
        {
            await EndTransactionAsync(connection, commit: false);
        }
        catch (Exception ex) when (ex is MySqlException or IOException or InvalidOperationException)
        {
            LogRollbackFailed(ex);
            if (await Database.ResetAfterFailureAsync(connection) is { } reset)
            {
                LogResetFailed(reset);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The COMMIT of a message batch failed, but its {Count} watermark rows show it committed: the batch counts as committed")]
    private partial void LogCommitConfirmed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The COMMIT of a message batch failed and whether it committed could not be read back; the batch fails (its messages may be in history without having been acknowledged or pushed)")]
    private partial void LogCommitUnknown(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolling back a failed batch failed too; the session is reset, which ends the transaction on the server")]
    private partial void LogRollbackFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resetting the session of a failed batch failed; it is broken and not pooled again")]
    private partial void LogResetFailed(Exception exception);
}
