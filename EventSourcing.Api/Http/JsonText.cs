using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace EventSourcing.Api.Http;

/// <summary>
/// A 200 written from JSON text as it is (a cached document), without parsing and serializing it again; to the OpenAPI
/// document it is a <typeparamref name="T"/>, the contract record the text was written from.
/// </summary>
public sealed class JsonText<T>(string json) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        return httpContext.Response.WriteAsync(json, httpContext.RequestAborted);
    }

#pragma warning disable CA1000 // IEndpointMetadataProvider's member is static by design.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
#pragma warning restore CA1000
}
