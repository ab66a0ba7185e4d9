using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventSourcing.Api.Security;

namespace EventSourcing.Tests.Infrastructure;

/// <summary>Real HTTP against the graph's API, with tokens signed by the secret the AppHost gives the API.</summary>
public static class ApiClient
{
    public static readonly JwtSettings Jwt = new(Encoding.UTF8.GetBytes(EventSourcing.AppHost.ServiceSettings.DevelopmentJwtSecret), null, null);

    public static string Token(params string[] scopes) =>
        DevTokens.Mint(Jwt, scopes.Length == 0 ? Scopes.All : scopes, TimeSpan.FromMinutes(30), DateTimeOffset.UtcNow);

    public static HttpClient Create(GraphFixture graph, params string[] scopes)
    {
        var http = graph.CreateHttpClient("api");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(scopes));
        return http;
    }

    public static JsonObject Event(Guid aggregateId, string type = "player", string eventType = "PlayerLevelUp", long? expectedVersion = null, Guid? eventId = null, JsonObject? payload = null, int? eventVersion = null)
    {
        var body = new JsonObject
        {
            ["aggregateId"] = aggregateId.ToString(),
            ["aggregateType"] = type,
            ["eventType"] = eventType,
            ["payload"] = payload ?? new JsonObject { ["newLevel"] = 25, ["experienceGained"] = 1500 },
            ["metadata"] = new JsonObject { ["source"] = "game_server_01" },
        };
        if (expectedVersion is not null)
        {
            body["expectedVersion"] = expectedVersion;
        }

        if (eventId is not null)
        {
            body["eventId"] = eventId.ToString();
        }

        if (eventVersion is not null)
        {
            body["eventVersion"] = eventVersion;
        }

        return body;
    }

    public static Task<HttpResponseMessage> AppendAsync(this HttpClient http, JsonObject body) =>
        http.PostAsync(new Uri("/api/v1/events/events", UriKind.Relative), Json(body));

    public static Task<HttpResponseMessage> AppendBatchAsync(this HttpClient http, params JsonObject[] events) =>
        http.PostAsync(new Uri("/api/v1/events/events/batch", UriKind.Relative), Json(new JsonObject { ["events"] = new JsonArray(events) }));

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static Task<HttpResponseMessage> GetAsync(this HttpClient http, string path) => http.GetAsync(new Uri(path, UriKind.Relative));

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
