using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TeamTalk.Orleans.UnitTests.Telemetry;

/// <summary>
/// Records the measurements of the instruments of one meter factory (so tests running in parallel, with meters of the
/// same names, do not see each other's measurements).
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

    public MetricRecorder(IMeterFactory scope)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.Start();
    }

    /// <summary>Collects the observable instruments' current values.</summary>
    public void Observe() => listener.RecordObservableInstruments();

    /// <summary>The values recorded by <paramref name="instrument"/>, optionally only those with the tag <paramref name="key"/>=<paramref name="value"/>.</summary>
    public List<double> Values(string instrument, string? key = null, string? value = null) =>
        [.. measurements.Where(m => m.Instrument == instrument && (key is null || m.Tags.Any(t => t.Key == key && Equals(t.Value, value)))).Select(m => m.Value)];

    public double Sum(string instrument, string? key = null, string? value = null) => Values(instrument, key, value).Sum();

    public void Dispose() => listener.Dispose();
}
