using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Blobs;

/// <summary>Settings of the blob store (section <c>TeamTalk:Blobs</c>).</summary>
public sealed class BlobStoreOptions
{
    public const string Section = "TeamTalk:Blobs";

    /// <summary>Directory of the filesystem store; created when missing. <c>./run.sh</c> uses <c>.data/files</c>.</summary>
    [Required]
    public string Directory { get; set; } = string.Empty;
}
