using System.Security.Cryptography;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Webhooks;

public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", Register).WithName("RegisterWebhook")
            .WithSummary("Register a URL for an ICB's events (return accepted, rejected, overdue); the signing secret is shown once");
        webhooks.MapGet("/", List).WithName("ListWebhooks").WithSummary("Webhooks this key may see");
        webhooks.MapDelete("/{id:long}", Remove).WithName("DeleteWebhook").WithSummary("Stop sending events to a webhook");
        webhooks.MapGet("/{id:long}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The latest 200 deliveries: status, attempts, the receiver's last answer");
        return api;
    }

    private static bool Manages(Caller caller, string icb) => caller.Role == Role.Admin
        || (caller.Role == Role.Icb && caller.OrganisationCode == icb);

    private static async Task<Results<Created<RegisteredWebhook>, ValidationProblem, ProblemHttpResult>> Register(
        WebhookRequest request, Caller caller, [AsParameters] WebhookChanges changes, IConfiguration configuration, CancellationToken ct)
    {
        var icb = (request.IcbCode ?? caller.OrganisationCode)?.ToUpperInvariant();
        if (icb is null || caller.Role is not (Role.Icb or Role.Admin)) return Problems.Forbidden("Webhooks are registered by ICB keys (for their ICB) and admins.");
        if (!Manages(caller, icb)) return Problems.Forbidden($"This key may not register webhooks for {icb}.");
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || request.Url.Length > 2000)
            return Problems.Invalid("url", "url is an absolute http or https address of at most 2,000 characters.");
        if (WebhookEgress.RefusalAtRegistration(url, configuration.GetValue("Webhooks:AllowPrivateAddresses", false)) is { } refusal)
            return Problems.Invalid("url", refusal);
        if (await changes.Organisations.IcbAsync(icb, ct) is null) return Problems.Invalid("icb_code", "That is not an ICB code.");

        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var view = await changes.Store.RegisterAsync(icb, url, secret, caller, changes.Http.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.Created($"/api/v1/webhooks/{view.Id}", new RegisteredWebhook(view, secret));
    }

    private static async Task<Ok<IReadOnlyList<WebhookView>>> List(Caller caller, WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(caller.Role is Role.Admin or Role.Icb
            ? await store.ListAsync(caller.Role == Role.Icb ? caller.OrganisationCode : null, ct)
            : (IReadOnlyList<WebhookView>)[]);

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(long id, Caller caller, [AsParameters] WebhookChanges changes,
        CancellationToken ct)
    {
        var webhook = await changes.Store.FindAsync(id, ct);
        if (webhook is null || !Manages(caller, webhook.IcbCode)) return Problems.NotFound($"There is no webhook {id} for this key.");
        await changes.Store.RemoveAsync(id, caller, changes.Http.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<DeliveryView>>,
        ProblemHttpResult>> Deliveries(long id, Caller caller, WebhookStore store, CancellationToken ct)
    {
        var webhook = await store.FindAsync(id, ct);
        if (webhook is null || !Manages(caller, webhook.IcbCode)) return Problems.NotFound($"There is no webhook {id} for this key.");
        return TypedResults.Ok(await store.DeliveriesAsync(id, ct));
    }
}

/// <summary>What registering or removing a webhook needs beside the request.</summary>
public sealed record WebhookChanges(WebhookStore Store, OrganisationStore Organisations, HttpContext Http);
