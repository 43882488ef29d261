namespace TeamTalk.Orleans.Grains.Models;

/// <summary>What a file connection is for (<c>ClientFileRole</c>, behaviour.md 5.2).</summary>
public enum FileRole : uint
{
    /// <summary>The sender of an online transfer.</summary>
    RealtimeSender = 1,

    /// <summary>The receiver of an online transfer.</summary>
    RealtimeReceiver = 2,

    /// <summary>The sender uploading an offline file.</summary>
    OfflineUpload = 3,

    /// <summary>The receiver downloading an offline file.</summary>
    OfflineDownload = 4,
}
