using System.Text;
using System.Text.Json;

namespace EventSourcing.Explorer.Components.Shared;

public static class JsonText
{
    private static readonly JsonWriterOptions IndentedWriter = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value indented for reading (Razor HTML-encodes it when rendering).</summary>
    public static string Indented(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return "";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, IndentedWriter))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A time as every page shows it: UTC, to the millisecond.</summary>
    public static string Stamp(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>A short one-line form for tables.</summary>
    public static string Compact(JsonElement value, int maxLength = 160)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "" : value.GetRawText();
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "…");
    }
}
