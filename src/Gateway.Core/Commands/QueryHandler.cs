using System.Globalization;
using Google.Protobuf;
using TeamTalk.Orleans.Gateway.Connections;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.Gateway.Commands;

/// <summary>
/// A request answered from the cluster: checks the request (<see cref="Validate"/>), asks the cluster
/// (<see cref="AskAsync"/>), maps the answer to the reply (<see cref="Map"/>) and sends it with the request's seq.
/// A subclass is its grain call and its mapping. A request refused by <see cref="Validate"/> or, once answered, by
/// <see cref="Refusal"/> is logged (rate-limited) and gets no reply. A failed call (a silo lost, the database down, a
/// timeout) is logged and, as the original does when its back-end is unavailable, gets no reply, unless
/// <see cref="Failed"/> gives one.
/// </summary>
internal abstract class QueryHandler<TRequest, TAnswer, TResponse>(CommandKey command, CommandKey responseCommand, ConnectionLog log)
    : CommandHandler<TRequest>(log)
    where TRequest : IMessage<TRequest>, new()
    where TResponse : class, IMessage
{
    public sealed override CommandKey Command => command;

    protected sealed override async ValueTask HandleAsync(IClientConnection connection, PacketHeader header, TRequest request)
    {
        if (Validate(connection, request) is { } invalid)
        {
            Log.Rejected(connection, header, invalid);
            return;
        }

        TAnswer answer;
        try
        {
            answer = await AskAsync(connection, request);
        }
        catch (Exception ex)
        {
            Log.RequestFailed(ex, connection.Id, connection.UserId, typeof(TRequest).Name);
            if (Failed(connection, request) is { } fallback)
            {
                connection.TrySend(OutboundFrame.Message(responseCommand, header.SeqNum, fallback));
            }

            return;
        }

        if (Refusal(request, answer) is { } refused)
        {
            Log.Rejected(connection, header, refused);
            return;
        }

        connection.TrySend(OutboundFrame.Message(responseCommand, header.SeqNum, Map(connection, request, answer)));
    }

    /// <summary>Why the request is refused before the cluster is asked (logged, no reply); null when it is served.</summary>
    protected virtual string? Validate(IClientConnection connection, TRequest request) => null;

    /// <summary>A <see cref="Validate"/> reason for a request listing more than <paramref name="max"/> <paramref name="what"/>; null within the limit.</summary>
    protected static string? AtMost(int count, int max, string what) =>
        count > max ? string.Create(CultureInfo.InvariantCulture, $"{count} {what} asked; at most {max}") : null;

    /// <summary>The grain call whose answer the reply carries.</summary>
    protected abstract Task<TAnswer> AskAsync(IClientConnection connection, TRequest request);

    /// <summary>Why the answer gets no reply (logged as a rejection); null when it is answered.</summary>
    protected virtual string? Refusal(TRequest request, TAnswer answer) => null;

    /// <summary>The reply to an answered request.</summary>
    protected abstract TResponse Map(IClientConnection connection, TRequest request, TAnswer answer);

    /// <summary>The reply when the cluster could not answer; null (the default) for none.</summary>
    protected virtual TResponse? Failed(IClientConnection connection, TRequest request) => null;
}
