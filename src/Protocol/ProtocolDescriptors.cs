using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.File;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol.Messages.Other;
using TeamTalk.Orleans.Protocol.Messages.Server;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;

namespace TeamTalk.Orleans.Protocol;

/// <summary>
/// Builds every generated file descriptor once, on one thread, when this assembly loads. Google.Protobuf builds a
/// file's descriptor on first use and meanwhile fills a cache of depended-on extensions that is not thread-safe
/// (protocolbuffers/protobuf#29696, open): two threads building descriptors at once can corrupt it, and the type
/// initializer's exception then breaks that .proto file's messages for the life of the process. A gateway reaches the
/// descriptors from every connection's first commands (required-field and enum checks), so a restart that many
/// clients reconnect to at once could hit it; a test run did (37 unit tests failed with one corrupted initializer).
/// </summary>
public static class ProtocolDescriptors
{
    /// <summary>The nine .proto files of the protocol, dependencies first (every file imports BaseDefine).</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; private set; } = [];

#pragma warning disable CA2255 // A module initializer in a library: it is what makes the generated code safe from many threads at once.
    [ModuleInitializer]
    internal static void BuildAll()
#pragma warning restore CA2255
    {
        // One at a time, in this order.
        Files =
        [
            IMBaseDefineReflection.Descriptor,
            IMBuddyReflection.Descriptor,
            IMFileReflection.Descriptor,
            IMGroupReflection.Descriptor,
            IMLoginReflection.Descriptor,
            IMMessageReflection.Descriptor,
            IMOtherReflection.Descriptor,
            IMServerReflection.Descriptor,
            IMSwitchServiceReflection.Descriptor,
        ];
    }
}
