namespace TeamTalk.Orleans.Data.Files;

/// <summary>An <c>IMTransmitFile</c> row waiting for its receiver.</summary>
public sealed record OfflineFileRow(uint FromId, string TaskId, string FileName, uint Size);
