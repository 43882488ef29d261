using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Data.Files;

namespace TeamTalk.Orleans.Grains.Files;

/// <summary>
/// Runs on every silo, once per <see cref="FileTransferOptions.SweepPeriod"/>: deletes completed offline uploads that no
/// <c>IMTransmitFile</c> row offers once they are older than <see cref="FileTransferOptions.UnofferedUploadLifetime"/>
/// (the sender never sent add-offline), with their blobs, and the blob store's abandoned partial uploads older than
/// <see cref="FileTransferOptions.AbandonedUploadLifetime"/> (a gateway that died mid-upload). Silos sweeping at once
/// remove each row once (one transaction decides).
/// </summary>
public sealed partial class StoredFileSweeper(
    OfflineFileStore store,
    IBlobStore blobs,
    IOptions<FileTransferOptions> options,
    TimeProvider time,
    ILogger<StoredFileSweeper> logger) : BackgroundService
{
    private const int Batch = 500;

    private readonly FileTransferOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SweepPeriod, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next period tries again; nothing is lost by a failed sweep.
                LogSweepFailed(logger, e);
            }
        }
    }

    /// <summary>One sweep at the clock's current time; returns the uploads and the partial uploads deleted.</summary>
    public async Task<(int Uploads, int Partials)> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var createdBefore = (uint)(now - settings.UnofferedUploadLifetime).ToUnixTimeSeconds();
        var uploads = 0;
        while (true)
        {
            var taken = await store.TakeUnofferedAsync(createdBefore, Batch);
            foreach (var blob in taken)
            {
                if (BlobName.TryParse(blob, out var name))
                {
                    await blobs.DeleteAsync(name.Value, cancellationToken);
                }
            }

            uploads += taken.Count;
            if (taken.Count < Batch)
            {
                break;
            }
        }

        var partials = await blobs.PurgeAbandonedUploadsAsync(now - settings.AbandonedUploadLifetime, cancellationToken);
        if (uploads + partials > 0)
        {
            LogSwept(logger, uploads, partials);
        }

        return (uploads, partials);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Uploads} offline uploads nobody offered and {Partials} abandoned partial uploads")]
    private static partial void LogSwept(ILogger logger, int uploads, int partials);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping stored files failed; the next period tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
