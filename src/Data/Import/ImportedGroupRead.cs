namespace TeamTalk.Orleans.Data.Import;

/// <summary>
/// The original's <c>&lt;uid&gt;_&lt;gid&gt;_im_user_group</c> field <c>count</c> (<paramref name="UserCount"/>)
/// against the group's <c>&lt;gid&gt;_im_group_msg</c> field <c>count</c> (<paramref name="GroupCount"/>, null when the
/// group has no counter): the member has read all but <c>GroupCount − UserCount</c> messages.
/// </summary>
public sealed record ImportedGroupRead(uint UserId, uint GroupId, uint UserCount, uint? GroupCount);
