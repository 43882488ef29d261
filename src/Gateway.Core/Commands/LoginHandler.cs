using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Login;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// <c>CID_LOGIN_REQ_USERLOGIN</c> (behaviour.md 3.3.1, 4): checks the credentials with the login grain, registers the
/// connection with the user grain (which kicks same-class connections first) and replies with the profile. Any failure
/// is answered (seq echo) and closes the connection. A second login request on a connection is ignored.
/// </summary>
internal sealed class LoginHandler(
    IGrainFactory grains,
    GatewayIdentity gateway,
    TimeProvider time,
    ConnectionLog log) : CommandHandler<IMLoginReq>(log)
{
    private const string Success = "成功";
    private const string ServerError = "服务端异常";
    private const string WrongCredentials = "用户名/密码错误";
    private const string TooManyFailures = "用户名/密码错误次数太多";
    private const string WebMustBePc = "网页客户端须以PC类型(Windows/Mac)登录";

    public override CommandKey Command => CommandKeys.LoginRequest;

    public override bool AllowedBeforeLogin => true;

    protected override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, IMLoginReq request)
    {
        if (!connection.TryBeginLogin())
        {
            Log.Rejected(connection, header, "second login request on the connection");
            return;
        }

        if (request.UserName.Length > UserFields.MaxLoginName)
        {
            // No user has such a name: refused as a wrong one, without activating a grain keyed by it or logging it whole.
            Log.LoginRefused(connection.Id, Remote(connection), request.UserName[..32] + "…", $"a name of {request.UserName.Length} characters (at most {UserFields.MaxLoginName})");
            Log.Metrics.Login(LoginMetric.WrongCredentials);
            Refuse(connection, header, ResultType.RefuseReasonDbValidateFailed, WrongCredentials);
            return;
        }

        var device = (DeviceType)(uint)request.ClientType;
        if (connection.Transport == ClientTransport.WebSocket && device.IsMobile())
        {
            // docs/architecture.md: a browser counts as a PC client; as a phone it would kick the user's phone and skew pushes.
            Log.LoginRefused(connection.Id, Remote(connection), request.UserName, $"a WebSocket client declared {device}; only Windows or Mac (PC class) is accepted");
            Refuse(connection, header, ResultType.RefuseReasonVersionTooOld, WebMustBePc);
            return;
        }

        var onlineStatus = request.OnlineStatus; // a value outside the enum was rejected with the body

        LoginResult result;
        try
        {
            result = await OnceMoreOnSiloLossAsync(() => grains.GetLoginGrain(request.UserName).LoginAsync(request.Password));
        }
        catch (Exception ex)
        {
            Log.LoginFailed(ex, connection.Id, request.UserName);
            Log.Metrics.Login(LoginMetric.ClusterError);
            Refuse(connection, header, ResultType.RefuseReasonNoDbServer, ServerError);
            return;
        }

        switch (result.Outcome)
        {
            case LoginOutcome.Success when result.Profile is { } profile:
                await CompleteAsync(connection, header, request.UserName, device, onlineStatus, profile);
                return;
            case LoginOutcome.TooManyFailures:
                Log.LoginRefused(connection.Id, Remote(connection), request.UserName, "too many failures");
                Log.Metrics.Login(LoginMetric.TooManyFailures);
                Refuse(connection, header, ResultType.RefuseReasonDbValidateFailed, TooManyFailures);
                return;
            case LoginOutcome.DatabaseUnavailable:
                Log.LoginRefused(connection.Id, Remote(connection), request.UserName, "database unavailable");
                Log.Metrics.Login(LoginMetric.DatabaseUnavailable);
                Refuse(connection, header, ResultType.RefuseReasonNoDbServer, ServerError);
                return;
            default:
                Log.LoginRefused(connection.Id, Remote(connection), request.UserName, "wrong name or password");
                Log.Metrics.Login(LoginMetric.WrongCredentials);
                Refuse(connection, header, ResultType.RefuseReasonDbValidateFailed, WrongCredentials);
                return;
        }
    }

    private async ValueTask CompleteAsync(
        IClientConnection connection, PacketHeader header, string userName, DeviceType device, UserStatType onlineStatus, UserProfile profile)
    {
        var alone = connection.Authenticate(profile.UserId, device);
        ConnectOutcome outcome;
        try
        {
            var user = grains.GetUserGrain(profile.UserId);
            var connected = new UserConnection(new ConnectionRef(gateway.Id, connection.Id), device);
            outcome = await OnceMoreOnSiloLossAsync(() => user.ConnectAsync(connected, alone));
        }
        catch (Exception ex)
        {
            Log.LoginFailed(ex, connection.Id, userName);
            Log.Metrics.Login(LoginMetric.ClusterError);
            Refuse(connection, header, ResultType.RefuseReasonNoDbServer, ServerError);
            return;
        }

        Log.LoggedIn(connection.Id, Remote(connection), profile.UserId, device.ToString());
        Log.Metrics.Login(LoginMetric.Success);
        connection.TrySend(OutboundFrame.Message(CommandKeys.LoginResponse, header.SeqNum, new IMLoginRes
        {
            ServerTime = Now(),
            ResultCode = ResultType.RefuseReasonNone,
            ResultString = Success,
            OnlineStatus = onlineStatus,
            UserInfo = ProtocolMapper.ToUserInfo(profile),
        }));
        if (device.IsMobile() && outcome.PcOnline)
        {
            var (command, body) = PushEncoder.Encode(new PcLoginStatusPush(profile.UserId, Online: true));
            connection.TrySend(OutboundFrame.Message(command, 0, body));
        }

        connection.Activate();
    }

    private void Refuse(IClientConnection connection, PacketHeader header, ResultType code, string text)
    {
        connection.TrySend(OutboundFrame.Message(CommandKeys.LoginResponse, header.SeqNum, new IMLoginRes
        {
            ServerTime = Now(),
            ResultCode = code,
            ResultString = text,
        }));
        connection.CloseAfterFlush();
    }

    /// <summary>
    /// Both login calls may be repeated (a check of the password, registering the same connection again), so a call lost
    /// with a silo (it died with the call on its way, <see cref="Cluster.SiloLossWatch"/>) is made once more, through
    /// the live silos, instead of refusing the login.
    /// </summary>
    private static async Task<T> OnceMoreOnSiloLossAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (SiloUnavailableException)
        {
            return await call();
        }
    }

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();

    private static string Remote(IClientConnection connection) => connection.Remote?.ToString() ?? "?";
}
