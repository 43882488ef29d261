namespace TeamTalk.Orleans.LoadGen.Workers;

/// <summary>Phase bookkeeping shared by both handle kinds.</summary>
internal sealed class PhaseBoard
{
    private readonly Dictionary<string, TaskCompletionSource> phases = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Task Wait(string name) => Get(name).Task;

    public void Reach(string name) => Get(name).TrySetResult();

    public void FailAll(Exception ex)
    {
        lock (gate)
        {
            foreach (var p in phases.Values)
            {
                p.TrySetException(ex);
            }
        }
    }

    private TaskCompletionSource Get(string name)
    {
        lock (gate)
        {
            if (!phases.TryGetValue(name, out var tcs))
            {
                phases[name] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return tcs;
        }
    }
}
