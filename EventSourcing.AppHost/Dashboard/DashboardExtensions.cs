using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.AppHost.Dashboard;

/// <summary>What the dashboard offers on the api resource beyond its endpoint: the API reference and two admin commands.</summary>
public static class DashboardExtensions
{
    private static readonly string[] AdminScopes = ["events:admin"];

    /// <summary>Links to Scalar (the API reference) and to the OpenAPI document next to the api's endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithApiReferenceLinks(this IResourceBuilder<ProjectResource> api)
    {
        if (!api.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return api;
        }

        return api
            .WithUrlForEndpoint("http", endpoint => new ResourceUrlAnnotation { Url = "/scalar", DisplayText = "API reference (Scalar)" })
            .WithUrlForEndpoint("http", endpoint => new ResourceUrlAnnotation { Url = "/openapi/v1.json", DisplayText = "OpenAPI document" });
    }

    /// <summary>
    /// "Replay all read models" and "Retry dead-lettered events": POSTs to the API with an admin token the AppHost signs
    /// for each invocation; the dashboard shows the API's answer (the replay's id, the number of events requeued).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAdminCommands(this IResourceBuilder<ProjectResource> api, ServiceSettings settings)
    {
        if (!api.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return api;
        }

        return api
            .WithHttpCommand("/api/v1/events/read-models/replay", "Replay all read models", "http", ApiCommands.ReplayAll,
                AdminCommand(settings, "Rebuilds every read model from the event store, then swaps it in.", "ArrowRepeatAll",
                    "Replay every read model from the first event? Reads keep answering from the current tables until the swap."))
            .WithHttpCommand("/api/v1/events/processing/dead-lettered/retry", "Retry dead-lettered events", "http", ApiCommands.RetryDeadLettered,
                AdminCommand(settings, "Puts every dead-lettered event back on the processor's retry queue.", "ArrowClockwise",
                    "Requeue every dead-lettered event for processing?"));
    }

    private static HttpCommandOptions AdminCommand(ServiceSettings settings, string description, string icon, string confirmation) => new()
    {
        Method = HttpMethod.Post,
        Description = description,
        IconName = icon,
        ConfirmationMessage = confirmation,
        ResultMode = HttpCommandResultMode.Auto,
        PrepareRequest = async context =>
        {
            var secret = await settings.JwtSecret.Resource.GetValueAsync(context.CancellationToken)
                ?? throw new InvalidOperationException("The jwt-secret parameter has no value.");
            var clock = context.Services.GetService<TimeProvider>() ?? TimeProvider.System;
            var token = RunModeTokens.Mint(secret, AdminScopes, "aspire-dashboard", TimeSpan.FromMinutes(5), clock.GetUtcNow());
            context.Request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        },
    };
}

/// <summary>The commands' names, for the tests that execute them.</summary>
public static class ApiCommands
{
    public const string ReplayAll = "replay-all-read-models";
    public const string RetryDeadLettered = "retry-dead-lettered-events";
}
