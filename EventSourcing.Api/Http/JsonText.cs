namespace EventSourcing.Api.Http;

/// <summary>Responses written from JSON text as it is (a cached document), without parsing and serializing it again.</summary>
public static class JsonText
{
    public const string ContentType = "application/json; charset=utf-8";
}
