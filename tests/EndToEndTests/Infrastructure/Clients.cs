using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>Client helpers for tests.</summary>
internal static class Clients
{
    public static readonly TimeSpan Reply = TimeSpan.FromSeconds(15);

    public static Task<TeamTalkClient> ConnectAsync(GatewayHandle gateway) => TeamTalkClient.ConnectAsync("127.0.0.1", gateway.TcpPort);

    /// <summary>Connects and logs in; asserts success.</summary>
    public static async Task<TeamTalkClient> LoginAsync(GatewayHandle gateway, string user, ClientType type = ClientType.Windows)
    {
        var client = await ConnectAsync(gateway);
        var (response, _) = await client.LoginAsync(user, TestDatabase.Password, type, Reply);
        Assert.NotNull(response);
        Assert.Equal(ResultType.RefuseReasonNone, response.ResultCode);
        return client;
    }
}
