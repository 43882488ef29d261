using System.Globalization;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.Buddy;

namespace TeamTalk.Orleans.Gateway.Commands.Buddy;

/// <summary>
/// <c>CID_BUDDY_LIST_USER_INFO_REQUEST</c> (behaviour.md 3.6.2): the profiles, with the real status, of the requested
/// users that exist (any status; unknown ids left out; ordered by id). An empty list gets an empty answer; more than
/// <see cref="MaxIds"/> ids are rejected (logged, no reply).
/// </summary>
internal sealed class UserInfoHandler(IGrainFactory grains, ConnectionLog log) : CommandHandler<IMUsersInfoReq>(log)
{
    /// <summary>Most ids one request may ask for (one parameterized <c>IN</c> list).</summary>
    public const int MaxIds = 1000;

    public override CommandKey Command => CommandKeys.UserInfoRequest;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMUsersInfoReq request)
    {
        if (request.UserIdList.Count > MaxIds)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"user info for {request.UserIdList.Count} ids; at most {MaxIds}"));
            return;
        }

        DirectoryUser[] users = [];
        if (request.UserIdList.Count > 0)
        {
            var (ok, found) = await AskAsync(connection, "user info", () => grains.GetGrain<IOrgDirectoryGrain>(0).GetUsersAsync([.. request.UserIdList]));
            if (!ok)
            {
                return;
            }

            users = found;
        }

        var response = new IMUsersInfoRsp { UserId = connection.UserId };
        foreach (var user in users)
        {
            response.UserInfoList.Add(ProtocolMapper.ToUserInfo(user));
        }

        connection.TrySend(OutboundFrame.Message(CommandKeys.UserInfoResponse, header.SeqNum, response));
    }
}
