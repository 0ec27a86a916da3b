using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TagCache.Examples.Web;

/// <summary>
/// Sends TagCache's metrics and traces (with ASP.NET Core's, so a computation shows under its request) to an OTLP
/// collector, when the configuration names one: <c>OpenTelemetry:OtlpEndpoint</c>, e.g. <c>http://127.0.0.1:4318</c>
/// (HTTP/protobuf). Without it nothing is exported and nothing listens.
/// </summary>
public static class OpenTelemetryExport
{
    /// <summary>Starts exporting if <paramref name="configuration"/> names an endpoint.</summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <returns>The providers to dispose when the app stops (which flushes them), or null when nothing is exported.</returns>
    public static IDisposable? StartIfConfigured(IConfiguration configuration)
    {
        if (configuration["OpenTelemetry:OtlpEndpoint"] is not { Length: > 0 } endpoint)
        {
            return null;
        }

        var baseUri = new Uri(endpoint.TrimEnd('/') + "/");
        var interval = configuration.GetValue("OpenTelemetry:ExportIntervalMilliseconds", 10_000);
        var meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter("TagCache", "Microsoft.AspNetCore.Hosting")
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, new Uri(baseUri, "v1/metrics"));
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
            })
            .Build();
        var traces = Sdk.CreateTracerProviderBuilder()
            .AddSource("TagCache", "Microsoft.AspNetCore")
            .AddOtlpExporter(exporter => Configure(exporter, new Uri(baseUri, "v1/traces")))
            .Build();
        return new Providers(meters, traces);
    }

    private static void Configure(OtlpExporterOptions exporter, Uri endpoint)
    {
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = endpoint;
    }

    private sealed class Providers(MeterProvider meters, TracerProvider traces) : IDisposable
    {
        public void Dispose()
        {
            traces.Dispose();
            meters.Dispose();
        }
    }
}
