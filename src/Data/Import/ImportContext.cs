namespace TeamTalk.Orleans.Data.Import;

/// <summary>What every part of one import shares: the existing users and groups among the ids Redis names, the time, the report.</summary>
internal sealed record ImportContext(IReadOnlySet<uint> Users, IReadOnlySet<uint> Groups, uint Now, RedisImportReport Report);
