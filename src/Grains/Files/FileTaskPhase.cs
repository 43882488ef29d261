namespace TeamTalk.Orleans.Grains.Files;

/// <summary>Where a file task is (behaviour.md 5.2, simplified to what decides a login).</summary>
internal enum FileTaskPhase
{
    /// <summary>Not created (an unknown task id) or gone: every login is refused.</summary>
    None,

    /// <summary>Created; online: at most one side logged in; offline: no upload running.</summary>
    Ready,

    /// <summary>Online, both sides logged in: the gateways relay.</summary>
    Transferring,

    /// <summary>Offline, an upload connection is writing.</summary>
    Uploading,

    /// <summary>Offline, the upload is committed: the receiver may download (again and again) until it deletes it.</summary>
    Stored,
}
