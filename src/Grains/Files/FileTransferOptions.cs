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
}
