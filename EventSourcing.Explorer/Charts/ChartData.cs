using System.Text.Json;
using System.Text.Json.Serialization;
using EventSourcing.Contracts;

namespace EventSourcing.Explorer.Charts;

/// <summary>A Chart.js configuration as the page hands it to explorer.js (data-chart attribute).</summary>
public sealed record ChartConfig(string Type, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Datasets, bool Stacked = false, string? YTitle = null);

public sealed record ChartSeries(string Label, IReadOnlyList<double> Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChartConfig))]
internal sealed partial class ChartJson : JsonSerializerContext;

/// <summary>The analytics endpoints' answers as charts.</summary>
public static class ChartData
{
    /// <summary>Stacked bars: one series per aggregate type over every day any type has events.</summary>
    public static string EventsPerDay(IReadOnlyList<(string Type, IReadOnlyList<EventsPerDay> Days)> perType)
    {
        var days = perType.SelectMany(t => t.Days.Select(d => d.Day)).Distinct().Order(StringComparer.Ordinal).ToList();
        var series = perType.Select(t =>
        {
            var counts = t.Days.ToDictionary(d => d.Day, d => (double)d.Count);
            return new ChartSeries(t.Type, [.. days.Select(day => counts.GetValueOrDefault(day))]);
        }).ToList();
        return Serialize(new ChartConfig("bar", days, series, Stacked: true, YTitle: "events"));
    }

    public static string Latency(ProcessingLatencyResponse? latency) =>
        Serialize(new ChartConfig("bar", ["avg", "p50", "p95", "p99", "max"],
            latency is null ? [] : [new ChartSeries("milliseconds", [latency.AvgMs, latency.P50Ms, latency.P95Ms, latency.P99Ms, latency.MaxMs])],
            YTitle: "ms"));

    /// <summary>A histogram: aggregates per size bucket (1, 2-3, 4-7, ... events), stacked by aggregate type.</summary>
    public static string AggregateSizes(IReadOnlyList<AggregateSizeBucket> buckets)
    {
        var bounds = buckets.Select(b => (b.MinEvents, b.MaxEvents)).Distinct().Order().ToList();
        var series = buckets.GroupBy(b => b.AggregateType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(type =>
        {
            var counts = type.ToDictionary(b => b.MinEvents, b => (double)b.Aggregates);
            return new ChartSeries(type.Key, [.. bounds.Select(b => counts.GetValueOrDefault(b.MinEvents))]);
        }).ToList();
        return Serialize(new ChartConfig("bar", [.. bounds.Select(b => b.MinEvents == b.MaxEvents ? $"{b.MinEvents}" : $"{b.MinEvents}–{b.MaxEvents}")], series,
            Stacked: true, YTitle: "aggregates"));
    }

    private static string Serialize(ChartConfig config) => JsonSerializer.Serialize(config, ChartJson.Default.ChartConfig);
}
