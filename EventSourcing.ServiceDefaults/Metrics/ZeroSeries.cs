using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Our metrics on /metrics from the first scrape. OpenTelemetry exports an instrument only after its first
/// measurement, so a dashboard or an alert on a counter that is still 0 (errors, snapshots) or a histogram with no
/// observation yet would show "no data". Every instrument of our own meters that the exporter has not written yet is
/// written as what it is: a counter at 0, a histogram with a zero count in its own buckets.
/// </summary>
public sealed class ZeroSeries : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new();

    public ZeroSeries()
    {
        _listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name.StartsWith(Extensions.TelemetryPrefix, StringComparison.Ordinal))
            {
                _instruments[instrument.Meter.Name + "/" + instrument.Name] = instrument;
            }
        };
        _listener.Start();
    }

    /// <summary>The Prometheus family OpenTelemetry names an instrument by (unit suffix, _total for counters).</summary>
    public static string FamilyOf(Instrument instrument) =>
        instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "") + (IsCounter(instrument) ? "_total" : "");

    /// <summary>The exposition text with a zero series for each instrument it lacks (before OpenMetrics' # EOF).</summary>
    public string Complete(string exposition)
    {
        var missing = new StringBuilder();
        foreach (var instrument in _instruments.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var family = FamilyOf(instrument);
            if (exposition.Contains("\n" + family, StringComparison.Ordinal) || exposition.StartsWith(family, StringComparison.Ordinal))
            {
                continue;
            }

            var type = IsCounter(instrument) ? "counter" : instrument is Histogram<double> ? "histogram" : null;
            if (type is null)
            {
                continue; // gauges are observed at every scrape
            }

            var help = (instrument.Description ?? instrument.Name).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            missing.Append(CultureInfo.InvariantCulture, $"# TYPE {family} {type}\n# HELP {family} {help}\n");
            if (instrument is Histogram<double> histogram)
            {
                foreach (var bound in histogram.Advice?.HistogramBucketBoundaries ?? [])
                {
                    missing.Append(CultureInfo.InvariantCulture, $"{family}_bucket{{le=\"{bound.ToString("R", CultureInfo.InvariantCulture)}\"}} 0\n");
                }

                missing.Append(CultureInfo.InvariantCulture, $"{family}_bucket{{le=\"+Inf\"}} 0\n{family}_sum 0\n{family}_count 0\n");
            }
            else
            {
                missing.Append(CultureInfo.InvariantCulture, $"{family} 0\n");
            }
        }

        if (missing.Length == 0)
        {
            return exposition;
        }

        const string end = "# EOF\n";
        return exposition.EndsWith(end, StringComparison.Ordinal)
            ? exposition[..^end.Length] + missing + end
            : exposition + missing;
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsCounter(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Counter<>);
}

public static class ZeroSeriesExtensions
{
    /// <summary>
    /// Resolves a metric owner when the service starts, so its instruments exist (at zero) from the first scrape
    /// rather than from its first use.
    /// </summary>
    public static IServiceCollection AddMetricsFromStart<T>(this IServiceCollection services)
        where T : class =>
        // One hosted-service type per owner: registrations of the same implementation type are kept only once.
        services.AddHostedService(sp => new ResolveOnStart<T>(sp));

    /// <summary>Completes the exporter's /metrics answer with the zero series of instruments it has not written yet.</summary>
    public static WebApplication UseZeroSeries(this WebApplication app, string metricsPath)
    {
        var zeros = app.Services.GetRequiredService<ZeroSeries>();
        app.UseWhen(context => context.Request.Path.Equals(metricsPath, StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            var text = zeros.Complete(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes, context.RequestAborted);
        }));
        return app;
    }

    private sealed class ResolveOnStart<T>(IServiceProvider services) : IHostedService
        where T : class
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<T>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
