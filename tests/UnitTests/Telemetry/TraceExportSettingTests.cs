using Microsoft.Extensions.Configuration;
using TeamTalk.Orleans.Hosting;

namespace TeamTalk.Orleans.UnitTests.Telemetry;

/// <summary>Trace context rides on grain calls only when traces are exported: Orleans' call filters cost every call.</summary>
public sealed class TraceExportSettingTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("http://127.0.0.1:4317", true)]
    public void Traces_are_exported_only_with_an_OTLP_endpoint(string? endpoint, bool exported)
    {
        var settings = new Dictionary<string, string?> { ["TeamTalk:Telemetry:Prometheus"] = "true" };
        if (endpoint is not null)
        {
            settings["TeamTalk:Telemetry:OtlpEndpoint"] = endpoint;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Equal(exported, TelemetryOptions.ExportsTraces(configuration));
    }
}
