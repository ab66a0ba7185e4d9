namespace EventSourcing.Api.Http;

/// <summary>The API's sections, as the OpenAPI document groups and describes them.</summary>
public static class ApiTags
{
    public const string Events = "Events";
    public const string Aggregates = "Aggregates";
    public const string ReadModels = "Read models";
    public const string Processing = "Processing";
    public const string Analytics = "Analytics";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [Events] = "Append events (one, or a batch all or nothing) and read them back: one aggregate's stream, the store in global order, the aggregates of a type.",
        [Aggregates] = "An aggregate's state, folded from its snapshot and the events after it (read-your-writes); rebuilds and snapshots.",
        [ReadModels] = "The query side: documents the processor keeps up to date from the events, and their blue/green replays.",
        [Processing] = "Where the stored events are in processing, and the manual retry of a failed or dead-lettered event.",
        [Analytics] = "Events per day, processing latency and aggregate sizes.",
    };
}
