using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>
/// One per user id: the only writer of the profile fields a user changes from a client (<c>IMUser.sign_info</c>,
/// <c>IMUser.avatar</c>). Changes of one user are serialised by the activation, so every connection learns them in
/// the order they were written. A change is validated (<see cref="Models.ProfileLimits"/>; refused ones are logged and
/// write nothing), written with <c>IMUser.updated</c> moved to now (so the incremental all-users sync carries it), and
/// announced to every logged-in connection of the organisation (PC and mobile, the user's own included) as one observer
/// call per live gateway, before the call returns.
/// </summary>
public interface IUserProfileGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the signature (behaviour.md 3.6.8); false when refused (too long) or the user row does not exist.</summary>
    Task<bool> ChangeSignInfoAsync(string signInfo);

    /// <summary>Sets the avatar URL (behaviour.md 3.6.6, implemented as 3.6.8; defect 30); false when refused or the user row does not exist.</summary>
    Task<bool> ChangeAvatarAsync(string avatarUrl);

    /// <summary>
    /// A back-office change of any of the user's fields (<see cref="UserUpdate"/>): validated, written with
    /// <c>IMUser.updated</c> moved to now; a changed signature or avatar is announced as a client's change is. A status
    /// of 3 (left) then kicks every connection of the user (<see cref="IUserGrain.KickAllAsync"/>); logins are refused
    /// from the write on. A new name taken by another user: <see cref="AdminWriteStatus.Duplicate"/>, nothing written.
    /// </summary>
    Task<AdminWriteResult> UpdateAsync(UserUpdate update);
}
