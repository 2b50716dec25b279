using System.Globalization;
using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Equality;

/// <summary>
/// Reference data that ICBs (for themselves and their providers) and admins load as CSV: the population on
/// secondary adult community mental health caseloads by ethnic group, and access targets. Checked row by row
/// like a return; a load replaces the figures for each organisation and year it covers, in one transaction.
/// </summary>
public static class ReferenceDataApi
{
    public static readonly string[] BroadGroups = ["white", "mixed", "asian", "black", "other"];

    public static IEndpointRouteBuilder MapReferenceData(this IEndpointRouteBuilder api)
    {
        var reference = api.MapGroup("/reference").WithTags("Reference data");
        reference.MapPost("/populations", LoadPopulations).Accepts<string>("text/csv").WithName("LoadReferencePopulations")
            .WithSummary("Load caseload populations by ethnic group (CSV: organisation_code, financial_year, group, count); ICB keys for their ICB and its providers, admins for any");
        reference.MapGet("/populations", ListPopulations).WithName("ListReferencePopulations").WithSummary("Loaded populations this key may see");
        reference.MapPost("/access-targets", LoadTargets).Accepts<string>("text/csv").WithName("LoadAccessTargets")
            .WithSummary("Load access targets (CSV: icb_code, financial_year, target); ICB keys for their ICB, admins for any");
        reference.MapGet("/access-targets", ListTargets).WithName("ListAccessTargets").WithSummary("Loaded access targets this key may see");
        return api;
    }

    private static bool MayLoad(Caller caller, KnownOrganisation organisation) =>
        caller.Role == Role.Admin || (caller.Role == Role.Icb && organisation.IcbCode == caller.OrganisationCode);

    private static async Task<Results<Ok<ReferenceLoad>, ProblemHttpResult>> LoadPopulations(
        Caller caller, HttpRequest request, ReferenceDataStore store, AuditedChanges changes, CancellationToken ct)
    {
        if (caller.Role is not (Role.Icb or Role.Admin)) return Problems.Forbidden("Populations are loaded by ICB and admin keys.");
        var (rows, findings) = await ReferenceDataFile.ReadAsync(request.Body, ["organisation_code", "financial_year", "group", "count"],
            new() { ["ethnicgroup"] = "group", ["people"] = "count", ["organisation"] = "organisationcode" }, ct);
        var loaded = new List<ReferencePopulation>();
        if (rows is not null)
        {
            var organisations = await store.KnownOrganisationsAsync(ct);
            var seen = new Dictionary<(string, string, string), int>();
            foreach (var (line, cells) in rows)
            {
                var errorsBefore = findings.Errors;
                var code = cells.GetValueOrDefault("organisationcode", "").ToUpperInvariant();
                var year = cells.GetValueOrDefault("financialyear", "");
                var group = cells.GetValueOrDefault("group", "");
                var count = cells.GetValueOrDefault("count", "");
                var groupCode = BroadGroups.Contains(group.ToLowerInvariant()) ? group.ToLowerInvariant()
                    : ReturnFormat.EthnicCategories.TryGetValue(group.ToLowerInvariant(), out var category)
                        && category is not ("Z" or "99") ? category : null;
                if (!organisations.TryGetValue(code, out var organisation))
                    findings.Add(Says.NotAnOrganisation, line, "organisation_code", null, ReturnFormat.Echo(code), ReturnFormat.Echo(code));
                else if (!MayLoad(caller, organisation))
                    findings.Add(Says.MayNotLoadFor, line, "organisation_code", null, code, "figures", code);
                if (!ReferenceDataFile.IsFinancialYear(year))
                    findings.Add(Says.BadFinancialYear, line, "financial_year", null, ReturnFormat.Echo(year));
                if (groupCode is null)
                    findings.Add(Says.BadGroup, line, "group", null, ReturnFormat.Echo(group));
                if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var people))
                    findings.Add(Says.BadPopulation, line, "count", null, ReturnFormat.Echo(count));
                if (findings.Errors > errorsBefore || groupCode is null) continue;
                if (seen.TryGetValue((code, year, groupCode), out var first))
                {
                    findings.Add(Says.RepeatedReferenceRow, line, "group", null, groupCode, $"{code} {year} {groupCode}", first);
                    continue;
                }
                seen[(code, year, groupCode)] = line;
                loaded.Add(new ReferencePopulation(code, year, groupCode, people));
            }
            foreach (var mixed in loaded.GroupBy(p => (p.OrganisationCode, p.FinancialYear))
                         .Where(g => g.Any(p => p.GroupCode.Length > 1) && g.Any(p => p.GroupCode.Length == 1)))
                findings.Add(Says.GroupsMixed, null, "group", null, null, mixed.Key.OrganisationCode, mixed.Key.FinancialYear);
            if (rows.Count == 0) findings.Add(Says.NoFigures, null, null, null, null, "figures");
        }
        if (findings.Errors > 0) return Rejected(findings);

        await changes.WriteAsync(caller, "reference.populations_loaded", "reference/populations",
            string.Join("; ", loaded.GroupBy(p => $"{p.OrganisationCode} {p.FinancialYear}").Select(g => $"{g.Key}: {g.Count()} groups")), request.HttpContext,
            (connection, transaction, now) => store.ReplacePopulationsAsync(connection, transaction, loaded, now, caller.KeyId), ct);
        return TypedResults.Ok(new ReferenceLoad("accepted", loaded.Count, findings.Findings));
    }

    private static async Task<Results<Ok<ReferenceLoad>, ProblemHttpResult>> LoadTargets(
        Caller caller, HttpRequest request, ReferenceDataStore store, AuditedChanges changes, CancellationToken ct)
    {
        if (caller.Role is not (Role.Icb or Role.Admin)) return Problems.Forbidden("Access targets are loaded by ICB and admin keys.");
        var (rows, findings) = await ReferenceDataFile.ReadAsync(request.Body, ["icb_code", "financial_year", "target"], new() { ["icb"] = "icbcode" }, ct);
        var loaded = new List<AccessTarget>();
        if (rows is not null)
        {
            var icbs = (await store.KnownOrganisationsAsync(ct)).Values.Where(o => o.IsIcb).ToDictionary(o => o.Code);
            var seen = new Dictionary<(string, string), int>();
            foreach (var (line, cells) in rows)
            {
                var errorsBefore = findings.Errors;
                var code = cells.GetValueOrDefault("icbcode", "").ToUpperInvariant();
                var year = cells.GetValueOrDefault("financialyear", "");
                var targetText = cells.GetValueOrDefault("target", "");
                if (!icbs.TryGetValue(code, out var icb))
                    findings.Add(Says.NotAnIcb, line, "icb_code", null, ReturnFormat.Echo(code), ReturnFormat.Echo(code));
                else if (!MayLoad(caller, icb))
                    findings.Add(Says.MayNotLoadFor, line, "icb_code", null, code, "targets", code);
                if (!ReferenceDataFile.IsFinancialYear(year)) findings.Add(Says.BadFinancialYear, line, "financial_year", null, ReturnFormat.Echo(year));
                if (!long.TryParse(targetText, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target <= 0)
                    findings.Add(Says.BadTarget, line, "target", null, ReturnFormat.Echo(targetText));
                if (findings.Errors > errorsBefore) continue;
                if (seen.TryGetValue((code, year), out var first))
                {
                    findings.Add(Says.RepeatedReferenceRow, line, "icb_code", null, code, $"{code} {year}", first);
                    continue;
                }
                seen[(code, year)] = line;
                loaded.Add(new AccessTarget(code, year, target));
            }
            if (rows.Count == 0) findings.Add(Says.NoFigures, null, null, null, null, "targets");
        }
        if (findings.Errors > 0) return Rejected(findings);

        await changes.WriteAsync(caller, "reference.access_targets_loaded", "reference/access-targets",
            string.Join("; ", loaded.Select(t => $"{t.IcbCode} {t.FinancialYear}: {t.Target}")), request.HttpContext,
            (connection, transaction, now) => store.UpsertTargetsAsync(connection, transaction, loaded, now, caller.KeyId), ct);
        return TypedResults.Ok(new ReferenceLoad("accepted", loaded.Count, findings.Findings));
    }

    private static ProblemHttpResult Rejected(FindingSink findings) =>
        Problems.Problem(422, "The file was not loaded", $"{findings.Errors} error(s); nothing was changed. Each finding says the line and what to fix.",
            ProblemTypes.TypePrefix + "reference-data-rejected", new Dictionary<string, object?> { ["findings"] = findings.Findings });

    private static async Task<Ok<IReadOnlyList<ReferencePopulation>>> ListPopulations([AsParameters] PopulationsRequest request,
        Caller caller, ReferenceDataStore store, CancellationToken ct)
    {
        var rows = await store.PopulationsAsync(request.Organisation?.ToUpperInvariant(), request.FinancialYear, ct);
        if (caller.ReachesEverything) return TypedResults.Ok(rows);
        var organisations = await store.KnownOrganisationsAsync(ct);
        return TypedResults.Ok<IReadOnlyList<ReferencePopulation>>(rows.Where(r => organisations.TryGetValue(r.OrganisationCode, out var o)
            && (caller.Role == Role.Icb ? o.IcbCode == caller.OrganisationCode : o.Code == caller.OrganisationCode)).ToList());
    }

    private static async Task<Ok<IReadOnlyList<AccessTarget>>> ListTargets(Caller caller, ReferenceDataStore store, CancellationToken ct)
    {
        var icb = caller.ReachesEverything ? null : caller.Role == Role.Icb ? caller.OrganisationCode : "-";
        return TypedResults.Ok(await store.TargetsAsync(icb, ct));
    }
}
