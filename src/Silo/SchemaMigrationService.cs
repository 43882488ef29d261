using TeamTalk.Orleans.Hosting;
using TeamTalk.Orleans.Data.Schema;

namespace TeamTalk.Orleans.Silo;

/// <summary>
/// Applies sql/ before the silo starts (registered ahead of Orleans, so the membership and storage tables exist when
/// the silo joins). Idempotent and serialized across silos by a database lock. An unreachable database stops the
/// process with a clear message.
/// </summary>
internal sealed class SchemaMigrationService(SchemaMigrator migrator, DatabaseSettings database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.ApplyAsync(database.ConnectionString, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
