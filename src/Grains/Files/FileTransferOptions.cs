using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Files;

/// <summary>Settings of file transfers on the silo (section <c>TeamTalk:Files</c>).</summary>
public sealed class FileTransferOptions
{
    public const string Section = "TeamTalk:Files";

    /// <summary>
    /// A task whose transfer has not started this long after the request (no upload, not both online sides) is
    /// refused from then on and forgotten (the original kept such tasks forever, defect 41).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan TaskLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A completed offline upload that no add-offline offered this long after it completed is deleted, blob included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan UnofferedUploadLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A partial upload in the blob store untouched this long (its gateway died mid-upload) is deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan AbandonedUploadLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each silo sweeps for the two above.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(10);
}
