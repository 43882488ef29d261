using System.Globalization;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;

namespace TeamTalk.Orleans.Gateway.Commands.Switch;

/// <summary>
/// <c>CID_SWITCH_P2P_CMD</c> (behaviour.md 3.5): opaque client-to-client signalling (typing, shake), relayed with seq 0
/// to every connection of <c>to_user_id</c> and to the sender's other connections, on every gateway, with
/// <c>from_user_id</c> forced to the sender (defect 4). No reply, nothing stored; offline receivers miss it.
/// A receiver that is 0, the sender itself or not a user, and a payload over <see cref="MaxCommandChars"/>
/// characters, are rejected and logged.
/// </summary>
internal sealed class P2PCommandHandler(IGrainFactory grains, GatewayIdentity gateway, ConnectionLog log) : CommandHandler<IMP2PCmdMsg>(log)
{
    /// <summary>Longest <c>cmd_msg_data</c> relayed (clients send short JSON; a chat text may hold 4096 characters).</summary>
    public const int MaxCommandChars = 4096;

    public override CommandKey Command => CommandKeys.P2PCommand;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMP2PCmdMsg request)
    {
        var to = request.ToUserId;
        if (to == 0 || to == connection.UserId)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"P2P command to user {to} (none or self)"));
            return;
        }

        if (request.CmdMsgData.Length > MaxCommandChars)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"P2P command of {request.CmdMsgData.Length} characters; at most {MaxCommandChars}"));
            return;
        }

        var (ok, exists) = await AskAsync(connection, "P2P command", () => grains.GetGrain<IOrgDirectoryGrain>(0).UserExistsAsync(to));
        if (!ok)
        {
            return;
        }

        if (!exists)
        {
            Log.Rejected(connection, header, string.Create(CultureInfo.InvariantCulture, $"P2P command to unknown user {to}"));
            return;
        }

        ClientPush[] push = [new P2PCommandPush(connection.UserId, to, request.CmdMsgData)];
        await AskAsync(connection, "P2P command", () => Task.WhenAll(
            grains.GetUserGrain(to).DeliverAsync(push, except: null),
            grains.GetUserGrain(connection.UserId).DeliverAsync(push, new ConnectionRef(gateway.Id, connection.Id))));
    }
}
