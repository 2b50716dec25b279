using System.Text.RegularExpressions;
using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Organisations;

public static partial class OrganisationsApi
{
    internal static readonly Sql SelectRegions = Sql.Portable("SELECT code AS Code, name AS Name FROM regions ORDER BY code");

    private const string IcbColumns = """
        i.code AS Code, i.gss_code AS GssCode, i.name AS Name, i.region_code AS RegionCode, r.name AS RegionName,
        i.effective_from AS EffectiveFrom, i.effective_to AS EffectiveTo, i.successor_code AS SuccessorCode
        FROM icbs i JOIN regions r ON r.code = i.region_code
        """;

    internal static readonly Sql SelectIcbs = Sql.Portable($"SELECT {IcbColumns} ORDER BY i.code");

    internal static readonly Sql SelectIcb = Sql.Portable($"SELECT {IcbColumns} WHERE i.code = @code");

    internal static readonly Sql InsertIcb = Sql.Portable("""
        INSERT INTO icbs (code, gss_code, name, region_code, effective_from)
        VALUES (@Code, @GssCode, @Name, @RegionCode, @EffectiveFrom)
        """);

    internal static readonly Sql CloseIcb = Sql.Portable("""
        UPDATE icbs SET effective_to = @effectiveTo, successor_code = @successor WHERE code = @code
        """);

    internal static readonly Sql MoveProviders = Sql.Portable(
        "UPDATE providers SET icb_code = @successor WHERE icb_code = @code");


    internal static readonly Sql SelectProviders = Sql.Portable($"""
        SELECT {Provider.Columns}
        WHERE (@icb IS NULL OR icb_code = @icb) AND (@only IS NULL OR code = @only)
        ORDER BY code
        """);

    internal static readonly Sql InsertProvider = Sql.Portable("""
        INSERT INTO providers (code, name, icb_code, active_from, active_to, created_at)
        VALUES (@Code, @Name, @IcbCode, @ActiveFrom, @ActiveTo, @CreatedAt)
        """);

    internal static readonly Sql UpdateProvider = Sql.Portable("""
        UPDATE providers SET name = @Name, icb_code = @IcbCode, active_from = @ActiveFrom, active_to = @ActiveTo
        WHERE code = @Code
        """);

    internal static readonly Sql SelectEthnicCategories = Sql.Portable("""
        SELECT code AS Code, name AS Name, broad_group AS BroadGroup FROM ethnic_categories
        ORDER BY CASE WHEN code = '99' THEN 2 WHEN code = 'Z' THEN 1 ELSE 0 END, code
        """);

    [GeneratedRegex("^[A-Z0-9]{3,16}$")]
    private static partial Regex OrganisationCode();

    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder api)
    {
        var organisations = api.MapGroup("").WithTags("Organisations");
        organisations.MapGet("/regions", async (Database db, CancellationToken ct) => TypedResults.Ok(await db.QueryAsync<Region>(SelectRegions, null, ct)))
            .WithName("ListRegions").WithSummary("NHS England regions");
        organisations.MapGet("/icbs", async (Database db, CancellationToken ct) => TypedResults.Ok(await db.QueryAsync<Icb>(SelectIcbs, null, ct)))
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
                async (Database db, CancellationToken ct) => TypedResults.Ok(await db.QueryAsync<EthnicCategory>(SelectEthnicCategories, null, ct)))
            .WithName("ListEthnicCategories").WithSummary("NHS Data Dictionary ethnic categories and their broad groups");
        return api;
    }

    private static async Task<Results<Ok<Icb>, ProblemHttpResult>> GetIcb(string code, Database db, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<Icb>(SelectIcb, new { code = code.ToUpperInvariant() }, ct) is { } icb
            ? TypedResults.Ok(icb)
            : Problems.NotFound($"There is no ICB '{ReturnFormat.Echo(code)}'.");

    private static async Task<Results<Created<Icb>, ValidationProblem, ProblemHttpResult>> MergeIcbs(
        IcbMerger merger, Caller caller, Database db, AuditLog audit, DataVersion version, HttpContext http, CancellationToken ct)
    {
        var code = merger.Code?.ToUpperInvariant() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (!OrganisationCode().IsMatch(code)) errors["code"] = ["An ICB code is 3 to 16 letters or digits."];
        if (string.IsNullOrWhiteSpace(merger.Name)) errors["name"] = ["Name the new ICB."];
        if (string.IsNullOrWhiteSpace(merger.GssCode)) errors["gss_code"] = ["Give the ONS (GSS) code of the new ICB."];
        if (merger.Predecessors is not { Length: > 0 } || merger.Predecessors.Any(string.IsNullOrWhiteSpace))
            errors["predecessors"] = ["Name the ICBs the new one replaces: a list of their codes."];
        var regions = await db.QueryAsync<Region>(SelectRegions, null, ct);
        if (!regions.Any(r => r.Code == merger.RegionCode)) errors["region_code"] = ["That is not an NHS England region code."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.QuerySingleOrDefaultAsync<Icb>(SelectIcb, new { code }, ct) is not null)
            return Problems.Conflict($"ICB {code} already exists.");

        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var predecessor in merger.Predecessors!.Select(p => p.ToUpperInvariant()).Distinct())
        {
            var existing = await connection.QuerySingleOrDefaultAsync<Icb>(db[SelectIcb], new { code = predecessor }, transaction);
            if (existing is null || existing.EffectiveTo is not null || existing.EffectiveFrom >= merger.EffectiveFrom)
                return Problems.Invalid("predecessors", $"{ReturnFormat.Echo(predecessor)} is not an ICB open before {merger.EffectiveFrom:yyyy-MM-dd}.");
        }
        await connection.ExecuteAsync(db[InsertIcb], new { Code = code, merger.GssCode, merger.Name, merger.RegionCode, merger.EffectiveFrom }, transaction);
        foreach (var predecessor in merger.Predecessors.Select(p => p.ToUpperInvariant()).Distinct())
        {
            await connection.ExecuteAsync(db[CloseIcb], new { code = predecessor, successor = code, effectiveTo = merger.EffectiveFrom.AddDays(-1) }, transaction);
            await connection.ExecuteAsync(db[MoveProviders], new { code = predecessor, successor = code }, transaction);
        }
        await audit.WriteAsync(connection, transaction, caller, "icb.merged", $"icb/{code}",
            $"replaces {string.Join(",", merger.Predecessors)} from {merger.EffectiveFrom:yyyy-MM-dd}", http.Connection.RemoteIpAddress?.ToString());
        using var change = await version.BumpAsync(connection, transaction);
        await transaction.CommitAsync(ct);
        var icb = (await db.QuerySingleOrDefaultAsync<Icb>(SelectIcb, new { code }, ct))!;
        return TypedResults.Created($"/api/v1/icbs/{code}", icb);
    }

    private static async Task<Ok<IReadOnlyList<Provider>>> ListProviders(string? icb, Caller caller, Database db, CancellationToken ct)
    {
        // A key sees only what its scope reaches, whatever filter it asks for.
        var icbFilter = caller.Role == Role.Icb ? caller.OrganisationCode : icb?.ToUpperInvariant();
        if (caller.Role == Role.Icb && icb is not null && !caller.CanReadIcb(icb)) return TypedResults.Ok<IReadOnlyList<Provider>>([]);
        var only = caller.Role == Role.Provider ? caller.OrganisationCode : null;
        return TypedResults.Ok(await db.QueryAsync<Provider>(SelectProviders, new { icb = icbFilter, only }, ct));
    }

    private static async Task<Results<Ok<Provider>, ProblemHttpResult>> GetProvider(string code, Caller caller, Database db, CancellationToken ct)
    {
        var provider = await Provider.FindAsync(db, code, ct);
        if (provider is null) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadProvider(provider.Code, provider.IcbCode)) return Problems.Forbidden($"This key may not read provider {provider.Code}.");
        return TypedResults.Ok(provider);
    }

    private static async Task<Results<Created<Provider>, ValidationProblem, ProblemHttpResult>> RegisterProvider(
        ProviderRequest request, Caller caller, Database db, AuditLog audit, DataVersion version, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var code = request.Code?.ToUpperInvariant() ?? "";
        var errors = await ValidateAsync(db, code, request.Name, request.IcbCode, request.ActiveFrom, request.ActiveTo, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await Provider.FindAsync(db, code, ct) is not null) return Problems.Conflict($"Provider {code} is already registered.");

        var provider = new Provider(code, request.Name.Trim(), request.IcbCode.ToUpperInvariant(), request.ActiveFrom, request.ActiveTo);
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(db[InsertProvider], new
        {
            provider.Code,
            provider.Name,
            provider.IcbCode,
            provider.ActiveFrom,
            provider.ActiveTo,
            CreatedAt = clock.GetUtcNow(),
        }, transaction);
        await audit.WriteAsync(connection, transaction, caller, "provider.registered", $"provider/{code}", $"icb={provider.IcbCode}",
            http.Connection.RemoteIpAddress?.ToString());
        using var change = await version.BumpAsync(connection, transaction);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/providers/{code}", provider);
    }

    private static async Task<Results<Ok<Provider>, ValidationProblem, ProblemHttpResult>> UpdateProviderDetails(
        string code, ProviderUpdate update, Caller caller, Database db, AuditLog audit, DataVersion version, HttpContext http, CancellationToken ct)
    {
        var existing = await Provider.FindAsync(db, code, ct);
        if (existing is null) return Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'.");
        var errors = await ValidateAsync(db, existing.Code, update.Name, update.IcbCode, update.ActiveFrom, update.ActiveTo, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var provider = existing with { Name = update.Name.Trim(), IcbCode = update.IcbCode.ToUpperInvariant(), ActiveFrom = update.ActiveFrom, ActiveTo = update.ActiveTo };
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(db[UpdateProvider], provider, transaction);
        await audit.WriteAsync(connection, transaction, caller, "provider.updated", $"provider/{provider.Code}",
            $"icb={provider.IcbCode} active={provider.ActiveFrom:yyyy-MM-dd}..{provider.ActiveTo:yyyy-MM-dd}", http.Connection.RemoteIpAddress?.ToString());
        using var change = await version.BumpAsync(connection, transaction);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(provider);
    }

    private static async Task<Dictionary<string, string[]>> ValidateAsync(Database db, string code, string? name, string? icbCode,
        DateOnly activeFrom, DateOnly? activeTo, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!OrganisationCode().IsMatch(code)) errors["code"] = ["A provider code is its ODS code: 3 to 16 letters or digits."];
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) errors["name"] = ["Name the provider in 1 to 200 characters."];
        if (activeFrom < new DateOnly(2000, 1, 1)) errors["active_from"] = ["Give the date the provider started reporting (2000-01-01 or later)."];
        if (activeTo is { } to && to < activeFrom) errors["active_to"] = ["active_to cannot be before active_from."];
        var icb = string.IsNullOrWhiteSpace(icbCode) ? null
            : await db.QuerySingleOrDefaultAsync<Icb>(SelectIcb, new { code = icbCode.ToUpperInvariant() }, ct);
        if (icb is null) errors["icb_code"] = ["Give the ODS code of the provider's ICB (GET /api/v1/icbs lists them)."];
        else if (icb.EffectiveTo is not null) errors["icb_code"] = [$"ICB {icb.Code} closed on {icb.EffectiveTo:yyyy-MM-dd}; its successor is {icb.SuccessorCode}."];
        return errors;
    }
}
