using System.Text.Json;
using EventSourcing.Client;
using EventSourcing.Explorer.Auth;
using EventSourcing.Explorer.Components.Shared;
using Microsoft.AspNetCore.Components;
using Polly.Timeout;

namespace EventSourcing.Explorer.Components;

/// <summary>
/// A page that calls the API: without a token it sends the user to the Token page; a refusal or an outage becomes a
/// message on the page (the rest of the page still renders), never an error page.
/// </summary>
public abstract class ExplorerPage : ComponentBase
{
    [Inject]
    protected EventSourcingClient Client { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    protected HttpContext HttpContext { get; set; } = default!;

    /// <summary>What the API refused, for the page's error banner.</summary>
    protected string? Error { get; private set; }

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>The call's result, or default with <see cref="Error"/> set.</summary>
    protected async Task<T?> CallAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return await call(Aborted);
        }
        catch (TokenMissingException)
        {
            Navigation.NavigateTo("/token");
            return default;
        }
        catch (EventSourcingApiException ex)
        {
            Error = ex.Status switch
            {
                401 => "The API refused the token (401): paste a valid one on the Token page.",
                403 => $"The token lacks the scope this needs (403): {ex.Message}",
                _ => $"The API answered {ex.Status}: {ex.Message}",
            };
            return default;
        }
        catch (HttpRequestException ex)
        {
            Error = $"The API is unreachable: {ex.Message}";
            return default;
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !Aborted.IsCancellationRequested))
        {
            Error = "The API did not answer in time.";
            return default;
        }
        catch (JsonException ex)
        {
            Error = $"The API's answer could not be read: {ex.Message}";
            return default;
        }
    }

    /// <summary>A query value as a number, or null (a page never fails on a hand-edited URL).</summary>
    protected static long? Number(string? value) =>
        long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    protected static string Stamp(DateTimeOffset? time) => JsonText.Stamp(time);
}
