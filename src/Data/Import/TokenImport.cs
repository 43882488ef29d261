using MySqlConnector;
using TeamTalk.Orleans.Data.Sql;

namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// Push tokens from <c>device_&lt;uid&gt;</c> into <c>TeamTalkDeviceToken</c>, with our rule (one token one user, one
/// token per user, as <c>DeviceStore.SetTokenAsync</c> keeps it). A token two users claim goes to the one the reverse key
/// <c>device_&lt;token&gt;</c> names (else the highest user id, as the newest account most likely holds the phone);
/// a reverse key naming someone else is reported.
/// </summary>
internal static class TokenImport
{
    public const string Kind = "tokens";

    public static async Task ApplyAsync(MySqlConnection connection, IReadOnlyList<ImportedToken> tokens, ImportContext context, CancellationToken ct)
    {
        foreach (var claims in tokens.GroupBy(t => t.Token, StringComparer.Ordinal).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var reverse = claims.First().ReverseUserId;
            var winner = claims.FirstOrDefault(c => c.UserId == reverse) ?? claims.MaxBy(c => c.UserId)!;
            foreach (var loser in claims.Where(c => c != winner))
            {
                context.Report.Skipped(Kind, $"user {loser.UserId}: its token is also user {winner.UserId}'s, who keeps it");
            }

            if (reverse is { } named && named != winner.UserId)
            {
                context.Report.Disagreed(Kind, $"user {winner.UserId}: device_<token> names user {named}: device_{winner.UserId} followed");
            }

            if (!context.Users.Contains(winner.UserId))
            {
                context.Report.Skipped(Kind, $"user {winner.UserId}: no IMUser row");
                continue;
            }

            await ApplyOneAsync(connection, winner, context, ct);
        }
    }

    private static async Task ApplyOneAsync(MySqlConnection connection, ImportedToken token, ImportContext context, CancellationToken ct)
    {
        var rows = new List<(string Token, uint User, uint ClientType)>();
        await using (var query = new MySqlCommand("SELECT token, userId, clientType FROM TeamTalkDeviceToken WHERE token = @t OR userId = @u", connection))
        {
            query.Parameters.AddWithValue("@t", token.Token);
            query.Parameters.AddWithValue("@u", token.UserId);
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), Columns.Number(reader, 1), Columns.Number(reader, 2)));
            }
        }

        if (rows is [var only] && only == (token.Token, token.UserId, token.ClientType))
        {
            context.Report.Unchanged(Kind);
            return;
        }

        foreach (var row in rows.Where(r => r != (token.Token, token.UserId, token.ClientType)))
        {
            context.Report.Disagreed(Kind, row.Token == token.Token
                ? $"user {token.UserId}: the token was user {row.User}'s (client type {row.ClientType}) in TeamTalkDeviceToken: Redis kept"
                : $"user {token.UserId}: another token in TeamTalkDeviceToken: replaced by Redis's");
        }

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ImportSql.ExecuteAsync(connection, transaction,
            """
            DELETE FROM TeamTalkDeviceToken WHERE userId = @u AND token <> @t;
            INSERT INTO TeamTalkDeviceToken (token, userId, clientType, updated) VALUES (@t, @u, @c, @now)
            ON DUPLICATE KEY UPDATE userId = VALUES(userId), clientType = VALUES(clientType), updated = VALUES(updated)
            """, ct, ("@u", token.UserId), ("@t", token.Token), ("@c", token.ClientType), ("@now", context.Now));
        await transaction.CommitAsync(ct);
        context.Report.Changed(Kind);
    }
}
