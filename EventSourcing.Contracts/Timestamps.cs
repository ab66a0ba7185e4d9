using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSourcing.Contracts;

/// <summary>The contract's timestamps: RFC 3339 in UTC with a Z (System.Text.Json would write +00:00).</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));
}
