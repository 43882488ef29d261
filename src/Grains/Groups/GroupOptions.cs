using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Grains.Groups;

/// <summary>Group limits and timings (section <c>TeamTalk:Groups</c>).</summary>
public sealed class GroupOptions
{
    public const string Section = "TeamTalk:Groups";

    /// <summary>Most members a group may have; a create or add that would exceed it is refused.</summary>
    [Range(2, 100_000)]
    public int MaxMembers { get; set; } = 1000;

    /// <summary>Longest group name and avatar URL, in characters (the <c>IMGroup</c> columns hold 256).</summary>
    [Range(1, 256)]
    public int MaxNameChars { get; set; } = 256;

    /// <summary>
    /// How often, at most, a busy group moves its members' recent sessions (and <c>IMGroup.lastChated</c>) to the time of
    /// its latest message. The first message after a quiet spell moves them at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan SessionTouchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Unread counts of a group stop counting here (the count is read from the message index).</summary>
    [Range(1, 1_000_000)]
    public int MaxUnreadCount { get; set; } = 10_000;
}
