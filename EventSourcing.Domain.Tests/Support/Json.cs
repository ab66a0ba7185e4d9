namespace EventSourcing.Domain.Tests.Support;

/// <summary>
/// JSON literals and comparisons for the tests (objects compare by member, whatever their order). Event payloads,
/// metadata and aggregate states are <see cref="JsonElement"/>s; read-model documents and merge patches are nodes.
/// </summary>
internal static class Json
{
    /// <summary>A JSON literal as an element, parsed from text (as a request body or a stored row is).</summary>
    public static JsonElement Element(string json) => JsonElement.Parse(json);

    /// <summary>A JSON object literal as a mutable node (read-model documents, merge patches).</summary>
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>An element with the node's content (its JSON text parsed again).</summary>
    public static JsonElement Element(JsonNode node) => JsonElement.Parse(node.ToJsonString());

    public static void Equal(string expected, JsonElement actual) => Equal(JsonElement.Parse(expected), actual);

    public static void Equal(JsonElement expected, JsonElement actual)
    {
        if (!JsonElement.DeepEquals(expected, actual))
        {
            Assert.Fail($"JSON differs.\nExpected: {Text(expected)}\nActual:   {Text(actual)}");
        }
    }

    public static void Equal(string expected, JsonNode? actual) => Equal(JsonNode.Parse(expected), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"JSON differs.\nExpected: {expected?.ToJsonString()}\nActual:   {actual?.ToJsonString()}");
        }
    }

    private static string Text(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? "(undefined)" : element.GetRawText();
}
