using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EventSourcing.Api.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, derived from the endpoints (typed results, declared parameters and
/// problems, authorization) and completed here: info and license, tag descriptions, the bearer scheme with the scope
/// each operation needs, parameter constraints, and the seed's examples.
/// </summary>
public static class ApiDocument
{
    public const string SchemeName = "bearer";
    public const string FreeJsonObject = "FreeJsonObject";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // Free JSON (payloads, metadata, states, documents) under a name that says so (a generated client gets a class
            // of that name, not one that shadows System.Text.Json's JsonElement).
            options.CreateSchemaReferenceId = type => type.Type == typeof(System.Text.Json.JsonElement)
                ? FreeJsonObject
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer((document, context, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            // Payloads, metadata, states and documents are free JSON, always an object.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(System.Text.Json.JsonElement))
                {
                    schema.Type = JsonSchemaType.Object;
                    schema.Description ??= "A JSON object.";
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                Secure(operation, context.Document!, metadata);
                DeclareParameters(operation, metadata);
                Examples.AddTo(operation);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "EventSourcing.Aspire",
            Version = "v1",
            Description = """
                Event sourcing and CQRS aggregates for a multiplayer game platform's services: append domain events, read streams
                and aggregate states, query read models and analytics. Every request under /api needs a bearer token (HS256 JWT)
                whose `scope` claim holds the operation's scope: `events:read`, `events:write` or `events:admin`. Every error is an
                RFC 9457 problem (`application/problem+json`); a failed request writes nothing.
                """,
            License = new OpenApiLicense { Name = "Apache License 2.0", Identifier = "Apache-2.0" },
        };

        // The request's own address, without the trailing slash the generator leaves.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = tag.Name is { } name ? ApiTags.Descriptions.GetValueOrDefault(name) : null;
        }

        document.AddComponent<IOpenApiSecurityScheme>(SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An HS256 JWT signed with the service's JWT_SECRET; its `scope` claim lists the scopes (space-separated).",
        });
    }

    /// <summary>The scope an operation's authorization policy names, as a security requirement, a note and the 401/403 answers.</summary>
    private static void Secure(OpenApiOperation operation, OpenApiDocument document, IList<object> metadata)
    {
        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Where(Scopes.All.Contains).Distinct().ToList();
        if (scopes.Count == 0)
        {
            return;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = scopes });
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-required-scopes"] = new JsonNodeExtension(new JsonArray([.. scopes.Select(s => (JsonNode)s)]));
        operation.Description = $"{operation.Description}\n\nRequires a token with the `{string.Join("`, `", scopes)}` scope.".TrimStart();
        operation.Responses ??= [];
        foreach (var (status, description) in new[] { ("401", "No token, or a token that is invalid or expired."), ("403", "The token lacks the scope.") })
        {
            if (!operation.Responses.ContainsKey(status))
            {
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Problems.ContentType] = new() { Schema = new OpenApiSchemaReference(nameof(Contracts.Problem), document) },
                    },
                };
            }
        }
    }

    /// <summary>The parameters an endpoint declared (<see cref="DeclaredParameters"/>), with their types and constraints.</summary>
    private static void DeclareParameters(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var parameter in metadata.OfType<DeclaredParameters>().SelectMany(d => d.Parameters))
        {
            operation.Parameters ??= [];
            var location = parameter.InPath ? ParameterLocation.Path : ParameterLocation.Query;
            var existing = operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == parameter.Name && p.In == location);
            var declared = existing ?? new OpenApiParameter { Name = parameter.Name, In = location };
            declared.Required = parameter.InPath;
            declared.Description = parameter.Description;
            declared.Schema = SchemaOf(parameter);
            if (existing is null)
            {
                operation.Parameters.Add(declared);
            }
        }
    }

    private static OpenApiSchema SchemaOf(ApiParameter parameter)
    {
        var schema = parameter.Kind switch
        {
            ParameterKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ParameterKind.Uuid => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            ParameterKind.Timestamp => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ParameterKind.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            _ => new OpenApiSchema { Type = JsonSchemaType.String },
        };
        if (parameter.Kind == ParameterKind.Integer)
        {
            schema.Minimum = parameter.Minimum == long.MinValue ? null : parameter.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
            schema.Maximum = parameter.Maximum == long.MaxValue ? null : parameter.Maximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        schema.Pattern = parameter.Pattern?.ToString().Replace(@"\z", "$", StringComparison.Ordinal);
        schema.MaxLength = parameter.MaxLength;
        if (parameter.Choices is { } choices)
        {
            schema.Enum = [.. choices.Select(c => (JsonNode)c)];
        }

        schema.Default = parameter.Default switch
        {
            null => null,
            bool b => JsonValue.Create(b),
            int i => JsonValue.Create(i),
            var other => JsonValue.Create(other.ToString()),
        };
        return schema;
    }
}
