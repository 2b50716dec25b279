using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Keys;

public static class KeysApi
{
    public static RouteGroupBuilder MapKeys(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Keys");
        keys.MapGet("/current", GetCurrent).WithName("GetCurrentKey").WithSummary("The key making this request");

        var admin = keys.MapGroup("").RequireAuthorization(Caller.AdminPolicy);
        admin.MapPost("/", Issue).WithName("IssueKey").WithSummary("Issue a key (admin); the secret is shown once");
        admin.MapGet("/", List).WithName("ListKeys").WithSummary("List keys (admin), without secrets");
        admin.MapDelete("/{id:long}", Revoke).WithName("RevokeKey").WithSummary("Revoke a key (admin); refused from the next request on");
        return keys;
    }

    private static async Task<Results<Ok<KeyView>,
        NotFound>> GetCurrent(Caller caller, ApiKeyStore store, CancellationToken cancellationToken) =>
        caller.KeyId is { } id && await store.GetAsync(id, cancellationToken) is { } key
            ? TypedResults.Ok(KeyView.From(key)) : TypedResults.NotFound();

    private static async Task<Results<Created<IssuedKeyView>, ValidationProblem>> Issue(
        KeyRequest request, Caller caller, ApiKeyStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = await store.ValidateAsync(request, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var issued = await store.IssueAsync(request, caller, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{issued.Key.Id}", new IssuedKeyView(KeyView.From(issued.Key), issued.Secret));
    }

    private static async Task<Ok<List<KeyView>>> List(ApiKeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(KeyView.From).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        long id, Caller caller, ApiKeyStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null) return Problems.NotFound($"There is no key {id}.");
        await store.RevokeAsync(id, caller, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return TypedResults.NoContent();
    }
}
