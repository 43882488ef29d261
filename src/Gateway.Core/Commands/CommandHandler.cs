using System.Buffers;
using Google.Protobuf;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// A handler whose request body is a protobuf message: the body is parsed (synchronously, before any await) and
/// checked for required fields and defined enum values; a body that fails either is rejected with a rate-limited warning and no reply, and
/// the connection stays open (behaviour.md 1.2).
/// </summary>
internal abstract class CommandHandler<TRequest>(ConnectionLog log) : ICommandHandler
    where TRequest : IMessage<TRequest>, new()
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    public abstract CommandKey Command { get; }

    public virtual bool AllowedBeforeLogin => false;

    protected ConnectionLog Log => log;

    public ValueTask HandleAsync(IClientConnection connection, PacketHeader header, ReadOnlySequence<byte> body)
    {
        TRequest request;
        try
        {
            request = Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            log.Rejected(connection, header, $"unparsable {typeof(TRequest).Name}: {ex.Message}", RejectMetric.Malformed);
            return ValueTask.CompletedTask;
        }

        if (!request.IsInitialized() || !RequiredFields.HasOnlyDefinedEnums(request))
        {
            log.Rejected(connection, header, $"{typeof(TRequest).Name} lacks a required field or holds an undefined enum value", RejectMetric.Malformed);
            return ValueTask.CompletedTask;
        }

        return HandleAsync(connection, header, request);
    }

    protected abstract ValueTask HandleAsync(IClientConnection connection, PacketHeader header, TRequest request);

    /// <summary>
    /// Asks the cluster for what a reply needs. A failure (a silo lost, the database down, a timeout) is logged and
    /// gives <c>Ok = false</c>: as the original does when its back-end is unavailable, no reply is sent.
    /// </summary>
    protected async Task<(bool Ok, T Value)> AskAsync<T>(IClientConnection connection, string what, Func<Task<T>> call)
    {
        try
        {
            return (true, await call());
        }
        catch (Exception ex)
        {
            log.RequestFailed(ex, connection.Id, connection.UserId, what);
            return (false, default!);
        }
    }

    /// <summary>As <see cref="AskAsync{T}"/> for a call without a result; true when it succeeded.</summary>
    protected async Task<bool> AskAsync(IClientConnection connection, string what, Func<Task> call) =>
        (await AskAsync(connection, what, async () =>
        {
            await call();
            return true;
        })).Ok;
}
