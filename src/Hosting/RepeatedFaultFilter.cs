using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace TeamTalk.Orleans.Hosting;

/// <summary>
/// Keeps log lines we do not write ourselves from flooding during a fault: Orleans logs every failed grain activation
/// with its stack ("Error activating grain", "Error thrown from OnActivateAsync"), thousands while MariaDB is down.
/// Of the events with an exception from the given categories, the first of each kind (category and message
/// template) per interval passes; the others are dropped and counted, and the count is added to the next one that
/// passes (property <c>Suppressed</c>, shown after the message). Our own hot paths use <c>FaultLog</c> instead.
/// </summary>
public sealed class RepeatedFaultFilter(TimeSpan interval, TimeProvider time, params string[] categories) : ILogEventFilter
{
    private readonly ConcurrentDictionary<(string Category, string Template), Window> windows = new();

    public bool IsEnabled(LogEvent logEvent)
    {
        if (logEvent.Exception is null
            || !logEvent.Properties.TryGetValue("SourceContext", out var value)
            || value is not ScalarValue { Value: string category }
            || !categories.Any(c => category.StartsWith(c, StringComparison.Ordinal)))
        {
            return true;
        }

        var window = windows.GetOrAdd((category, logEvent.MessageTemplate.Text), _ => new Window());
        var now = time.GetTimestamp();
        lock (window)
        {
            if (window.Opened != 0 && time.GetElapsedTime(window.Opened, now) < interval)
            {
                window.Suppressed++;
                return false;
            }

            if (window.Suppressed > 0)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty("Suppressed", new ScalarValue($"({window.Suppressed} more like it in the last {interval.TotalSeconds:F0} s not logged)")));
            }

            window.Opened = now;
            window.Suppressed = 0;
            return true;
        }
    }

    private sealed class Window
    {
        public long Opened { get; set; }

        public int Suppressed { get; set; }
    }
}
