namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>Signals from the coordinator to a running worker.</summary>
internal interface IWorkerSignals
{
    /// <summary>Tells the coordinator the worker reached a named phase (e.g. "ramped").</summary>
    void Phase(string name);

    /// <summary>Completes when the coordinator asks the worker to stop (scenarios that hold until told).</summary>
    Task StopRequested { get; }
}
