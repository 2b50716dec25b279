using System.Text.RegularExpressions;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Organisations;

public static partial class OrganisationsApi
{
    [GeneratedRegex("^[A-Z0-9]{3,16}$")]
    private static partial Regex OrganisationCode();

    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder api)
    {
        var organisations = api.MapGroup("").WithTags("Organisations");
        organisations.MapGet("/regions", async (OrganisationStore store, CancellationToken ct) => TypedResults.Ok(await store.RegionsAsync(ct)))
            .WithName("ListRegions").WithSummary("NHS England regions");
        organisations.MapGet("/icbs", async (OrganisationStore store, CancellationToken ct) => TypedResults.Ok(await store.IcbsAsync(ct)))
            .WithName("ListIcbs").WithSummary("Integrated Care Boards, with the dates they were in effect");
        organisations.MapGet("/icbs/{code}", GetIcb).WithName("GetIcb").WithSummary("One ICB");
        organisations.MapPost("/icbs/mergers", MergeIcbs).RequireAuthorization(Caller.AdminPolicy)
            .WithName("MergeIcbs").WithSummary("Open a new ICB that replaces others from a date (admin)");

        organisations.MapGet("/providers", ListProviders).WithName("ListProviders").WithSummary("Providers this key may see");
        organisations.MapGet("/providers/{code}", GetProvider).WithName("GetProvider").WithSummary("One provider");
        organisations.MapPost("/providers", RegisterProvider).RequireAuthorization(Caller.AdminPolicy)
            .WithName("RegisterProvider").WithSummary("Register a provider under an ICB (admin)");
        organisations.MapPut("/providers/{code}", UpdateProviderDetails).RequireAuthorization(Caller.AdminPolicy)
            .WithName("UpdateProvider").WithSummary("Change a provider's name, ICB or active dates (admin)");

        organisations.MapGet("/reference/ethnic-categories",
                async (OrganisationStore store, CancellationToken ct) => TypedResults.Ok(await store.EthnicCategoriesAsync(ct)))
            .WithName("ListEthnicCategories").WithSummary("NHS Data Dictionary ethnic categories and their broad groups");
        return api;
    }

    private static async Task<Results<Ok<Icb>, ProblemHttpResult>> GetIcb(string code, OrganisationStore store, CancellationToken ct) =>
        await store.IcbAsync(code, ct) is { } icb
            ? TypedResults.Ok(icb)
            : Problems.NotFound($"There is no ICB '{ReturnFormat.Echo(code)}'.");

    private static async Task<Results<Created<Icb>, ValidationProblem, ProblemHttpResult>> MergeIcbs(
        IcbMerger merger, Caller caller, [AsParameters] OrganisationChange change, CancellationToken ct)
    {
        var code = merger.Code?.ToUpperInvariant() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (!OrganisationCode().IsMatch(code)) errors["code"] = ["An ICB code is 3 to 16 letters or digits."];
        if (string.IsNullOrWhiteSpace(merger.Name)) errors["name"] = ["Name the new ICB."];
        if (string.IsNullOrWhiteSpace(merger.GssCode)) errors["gss_code"] = ["Give the ONS (GSS) code of the new ICB."];
        if (merger.Predecessors is not { Length: > 0 } || merger.Predecessors.Any(string.IsNullOrWhiteSpace))
            errors["predecessors"] = ["Name the ICBs the new one replaces: a list of their codes."];
        var regions = await change.Store.RegionsAsync(ct);
        if (!regions.Any(r => r.Code == merger.RegionCode)) errors["region_code"] = ["That is not an NHS England region code."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await change.Store.IcbAsync(code, ct) is not null) return Problems.Conflict($"ICB {code} already exists.");

        string? notOpen = null;
        var merged = await change.Changes.WriteAsync(caller, "icb.merged", $"icb/{code}",
            $"replaces {string.Join(",", merger.Predecessors!)} from {merger.EffectiveFrom:yyyy-MM-dd}", change.Http,
            async (connection, transaction, _) => (notOpen = await change.Store.MergeAsync(connection, transaction, merger, code)) is null,
                ct);
        if (!merged)
            return Problems.Invalid("predecessors", $"{ReturnFormat.Echo(notOpen!)} is not an ICB open before {merger.EffectiveFrom:yyyy-MM-dd}.");
        return TypedResults.Created($"/api/v1/icbs/{code}", (await change.Store.IcbAsync(code, ct))!);
    }

    private static async Task<Ok<IReadOnlyList<Provider>>> ListProviders(string? icb, Caller caller, OrganisationStore store,
        CancellationToken ct)
    {
        // A key sees only what its scope reaches, whatever filter it asks for.
        var icbFilter = caller.Role == Role.Icb ? caller.OrganisationCode : icb?.ToUpperInvariant();
        if (caller.Role == Role.Icb && icb is not null && !caller.CanReadIcb(icb)) return TypedResults.Ok<IReadOnlyList<Provider>>([]);
        var only = caller.Role == Role.Provider ? caller.OrganisationCode : null;
        return TypedResults.Ok(await store.ProvidersAsync(icbFilter, only, ct));
    }

    private static async Task<Results<Ok<Provider>, ProblemHttpResult>> GetProvider(string code, Caller caller, OrganisationStore store,
        CancellationToken ct)
    {
        var provider = await store.ProviderAsync(code, ct);
        if (provider is null) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadProvider(provider.Code, provider.IcbCode)) return Problems.Forbidden($"This key may not read provider {provider.Code}.");
        return TypedResults.Ok(provider);
    }

    private static async Task<Results<Created<Provider>, ValidationProblem, ProblemHttpResult>> RegisterProvider(
        ProviderRequest request, Caller caller, [AsParameters] OrganisationChange change, CancellationToken ct)
    {
        var code = request.Code?.ToUpperInvariant() ?? "";
        var errors = await ValidateAsync(change.Store, code, request.Name, request.IcbCode, request.ActiveFrom, request.ActiveTo, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await change.Store.ProviderAsync(code, ct) is not null) return Problems.Conflict($"Provider {code} is already registered.");

        var provider = new Provider(code, request.Name.Trim(), request.IcbCode.ToUpperInvariant(), request.ActiveFrom, request.ActiveTo);
        await change.Changes.WriteAsync(caller, "provider.registered", $"provider/{code}", $"icb={provider.IcbCode}", change.Http,
            (connection, transaction, now) => change.Store.RegisterAsync(connection, transaction, provider, now), ct);
        return TypedResults.Created($"/api/v1/providers/{code}", provider);
    }

    private static async Task<Results<Ok<Provider>, ValidationProblem, ProblemHttpResult>> UpdateProviderDetails(
        string code, ProviderUpdate update, Caller caller, [AsParameters] OrganisationChange change, CancellationToken ct)
    {
        var existing = await change.Store.ProviderAsync(code, ct);
        if (existing is null) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        var errors = await ValidateAsync(change.Store, existing.Code, update.Name, update.IcbCode, update.ActiveFrom, update.ActiveTo, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var provider = existing with
        {
            Name = update.Name.Trim(),
            IcbCode = update.IcbCode.ToUpperInvariant(),
            ActiveFrom = update.ActiveFrom,
            ActiveTo = update.ActiveTo,
        };
        await change.Changes.WriteAsync(caller, "provider.updated", $"provider/{provider.Code}",
            $"icb={provider.IcbCode} active={provider.ActiveFrom:yyyy-MM-dd}..{provider.ActiveTo:yyyy-MM-dd}", change.Http,
            (connection, transaction, _) => change.Store.UpdateAsync(connection, transaction, provider), ct);
        return TypedResults.Ok(provider);
    }

    private static async Task<Dictionary<string,
        string[]>> ValidateAsync(OrganisationStore store, string code, string? name, string? icbCode, DateOnly activeFrom,
            DateOnly? activeTo, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!OrganisationCode().IsMatch(code)) errors["code"] = ["A provider code is its ODS code: 3 to 16 letters or digits."];
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) errors["name"] = ["Name the provider in 1 to 200 characters."];
        if (activeFrom < new DateOnly(2000, 1, 1)) errors["active_from"] = ["Give the date the provider started reporting (2000-01-01 or later)."];
        if (activeTo is { } to && to < activeFrom) errors["active_to"] = ["active_to cannot be before active_from."];
        var icb = string.IsNullOrWhiteSpace(icbCode) ? null : await store.IcbAsync(icbCode, ct);
        if (icb is null) errors["icb_code"] = ["Give the ODS code of the provider's ICB (GET /api/v1/icbs lists them)."];
        else if (icb.EffectiveTo is not null) errors["icb_code"] = [$"ICB {icb.Code} closed on {icb.EffectiveTo:yyyy-MM-dd}; its successor is {icb.SuccessorCode}."];
        return errors;
    }
}

/// <summary>What a change to the organisations needs beside its request: the store, an audited transaction, the request's
/// context.</summary>
public sealed record OrganisationChange(OrganisationStore Store, AuditedChanges Changes, HttpContext Http);
