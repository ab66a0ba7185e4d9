using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace EventSourcing.Client;

/// <summary>Puts the configured bearer token (or the provider's) on every request, retries included.</summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<EventSourcingClientSettings> settings) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = settings.CurrentValue;
        var token = current.TokenProvider is { } provider ? await provider(cancellationToken) : current.Token;
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
