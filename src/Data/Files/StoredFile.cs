namespace TeamTalk.Orleans.Data.Files;

/// <summary>A completed offline upload (<c>TeamTalkOfflineFile</c>): which blob holds the bytes of which task.</summary>
public sealed record StoredFile(string TaskId, string Blob, uint FromId, uint ToId, string FileName, uint Size);
