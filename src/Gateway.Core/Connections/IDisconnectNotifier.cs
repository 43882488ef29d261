namespace TeamTalk.Orleans.Gateway.Connections;

/// <summary>Tells the cluster that a logged-in connection closed; called once per such connection, by its owner.</summary>
internal interface IDisconnectNotifier
{
    Task DisconnectedAsync(long connectionId, uint userId);
}
