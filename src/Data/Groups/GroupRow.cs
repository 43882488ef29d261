namespace TeamTalk.Orleans.Data.Groups;

/// <summary>An <c>IMGroup</c> row as a Group grain holds it.</summary>
public sealed record GroupRow(string Name, string Avatar, uint Creator, uint Type, uint Version, uint Updated);
