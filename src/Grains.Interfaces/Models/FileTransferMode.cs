namespace TeamTalk.Orleans.Grains.Models;

/// <summary>How a file travels (<c>TransferFileType</c>): relayed between two live connections, or stored for later.</summary>
public enum FileTransferMode : uint
{
    /// <summary><c>FILE_TYPE_ONLINE</c>: the receiver pulls from the sender through the gateways; nothing is stored.</summary>
    Online = 1,

    /// <summary><c>FILE_TYPE_OFFLINE</c>: uploaded into the blob store, downloaded later.</summary>
    Offline = 2,
}
