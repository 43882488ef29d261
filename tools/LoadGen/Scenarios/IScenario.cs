using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>A load scenario: its workers (one per process) and what the coordinator does while they run.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>Scenario parameters for the report.</summary>
    IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>How many users (lg indices 0..N-1 relative to --first-user) the scenario logs in.</summary>
    int UsersNeeded { get; }

    /// <summary>Coordinator-only preparation before workers start (database setup).</summary>
    Task SetupAsync(CommonOptions common, CancellationToken ct);

    IScenarioWorker CreateWorker(CommonOptions common);

    /// <summary>Starts the workers, measures the servers, and turns the merged results into a report.</summary>
    Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct);
}
