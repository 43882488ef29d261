namespace TeamTalk.Orleans.Grains.Models;

/// <summary>Why a connection is kicked, with the wire values of <c>IM.BaseDefine.KickReasonType</c>.</summary>
public enum KickReason : uint
{
    DuplicateUser = 1,
    MobileKick = 2,
}
