namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>What a <see cref="ChatStream"/> reports to and reads from the worker that owns it.</summary>
internal interface IStreamOwner
{
    int Inflight { get; }

    int MessageBytes { get; }

    long WindowEnd { get; }

    void RecordSent(long intended);

    void RecordAck(long intended, long now);

    void RecordSendFailure();
}
