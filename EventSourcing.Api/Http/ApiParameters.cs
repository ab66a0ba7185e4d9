using System.Text.RegularExpressions;
using EventSourcing.Domain.Events;

namespace EventSourcing.Api.Http;

public enum ParameterKind
{
    Integer,
    Uuid,
    Timestamp,
    Text,
    Boolean,
    Choice,
    JsonObject,
}

/// <summary>
/// A route or query parameter of the contract, declared once: <see cref="QueryReader"/> parses and checks it with this,
/// and the OpenAPI document describes it from the same declaration (type, range, pattern, choices).
/// </summary>
public sealed record ApiParameter(
    string Name,
    ParameterKind Kind,
    string Description,
    bool InPath = false,
    long Minimum = long.MinValue,
    long Maximum = long.MaxValue,
    object? Default = null,
    Regex? Pattern = null,
    string[]? Choices = null,
    int? MaxLength = null);

/// <summary>Every parameter the API takes.</summary>
public static class ApiParameters
{
    public const int MaxPageSize = 1000;
    public const int MaxContainmentLength = 4096;

    public static readonly ApiParameter Limit = new("limit", ParameterKind.Integer, "Page size.", Minimum: 1, Maximum: MaxPageSize, Default: 100);
    public static readonly ApiParameter FromVersion = new("fromVersion", ParameterKind.Integer,
        "The first version to return (forward: default 1; backward: default the current version).", Minimum: 1);
    public static readonly ApiParameter Direction = new("direction", ParameterKind.Choice, "Oldest first (forward) or newest first (backward).",
        Default: "forward", Choices: ["forward", "backward"]);
    public static readonly ApiParameter AfterPosition = new("afterPosition", ParameterKind.Integer,
        "Events after this global position (the nextAfterPosition of the previous page).", Minimum: 0, Default: 0);
    public static readonly ApiParameter AggregateTypeFilter = new("aggregateType", ParameterKind.Text, "Only events of this aggregate type.",
        Pattern: EventNames.AggregateType());
    public static readonly ApiParameter EventTypeFilter = new("eventType", ParameterKind.Text, "Only events of this type.", Pattern: EventNames.EventType());
    public static readonly ApiParameter CorrelationId = new("correlationId", ParameterKind.Uuid, "Only events with this correlation id.");
    public static readonly ApiParameter PayloadContains = new("payloadContains", ParameterKind.JsonObject,
        "Only events whose payload contains this JSON object (URL-encoded), as PostgreSQL's jsonb containment (@>): " +
        "{\"weapon\":\"bow\"} matches every payload with that member and value, nested objects match in part, arrays when they hold the elements given.",
        MaxLength: MaxContainmentLength);
    public static readonly ApiParameter MetadataContains = new("metadataContains", ParameterKind.JsonObject,
        "Only events whose metadata contains this JSON object (URL-encoded), as payloadContains.", MaxLength: MaxContainmentLength);
    public static readonly ApiParameter From = new("from", ParameterKind.Timestamp, "Start of the time window (inclusive, RFC 3339).");
    public static readonly ApiParameter To = new("to", ParameterKind.Timestamp, "End of the time window (exclusive, RFC 3339).");
    public static readonly ApiParameter AfterAggregate = new("after", ParameterKind.Uuid, "Aggregates after this id (the nextAfter of the previous page).");
    public static readonly ApiParameter AfterDocument = new("after", ParameterKind.Text, "Documents after this id (the nextAfter of the previous page).",
        MaxLength: 255);
    public static readonly ApiParameter AtVersion = new("atVersion", ParameterKind.Integer, "The state as of this version (default: the current one).",
        Minimum: 1);
    public static readonly ApiParameter CreateSnapshot = new("snapshot", ParameterKind.Boolean, "Store the rebuilt state as the aggregate's snapshot.",
        Default: false);

    public static readonly ApiParameter FailedStatus = new("status", ParameterKind.Choice, "Only events in this state (default: both).",
        Choices: ["failed", "dead_lettered"]);

    public static readonly ApiParameter AggregateId = new("aggregateId", ParameterKind.Uuid, "The aggregate's id.", InPath: true);
    public static readonly ApiParameter AggregateType = new("aggregateType", ParameterKind.Text, "The aggregate's type (player, quest, ...).", InPath: true,
        Pattern: EventNames.AggregateType());
    public static readonly ApiParameter ModelName = new("modelName", ParameterKind.Text, "The read model (player_summary, quest_progress, ...).",
        InPath: true, Pattern: EventNames.AggregateType());
    public static readonly ApiParameter DocumentId = new("id", ParameterKind.Text,
        "The document's id: the aggregate's natural id once known (player_summary: the playerId), else the aggregate id.", InPath: true, MaxLength: 255);
    public static readonly ApiParameter EventId = new("eventId", ParameterKind.Uuid, "The event's id.", InPath: true);
    public static readonly ApiParameter ReplayId = new("replayId", ParameterKind.Uuid, "The replay's id.", InPath: true);
}

public static class ApiParameterMetadata
{
    /// <summary>Declares the parameters an endpoint reads, for the OpenAPI document.</summary>
    public static TBuilder WithParameters<TBuilder>(this TBuilder builder, params ApiParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DeclaredParameters(parameters));
}

public sealed record DeclaredParameters(IReadOnlyList<ApiParameter> Parameters);
