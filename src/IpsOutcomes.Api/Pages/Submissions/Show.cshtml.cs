using IpsOutcomes.Infrastructure;
using IpsOutcomes.Submissions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Submissions;

/// <summary>A submission: its verdict in words, its counts, and its findings filtered by severity and rule, page by page.</summary>
public sealed class ShowModel(SubmissionStore store, FindingStore findings) : PageModel
{
    private const int PageSize = 50;

    public SubmissionView? Submission { get; private set; }
    public bool Same { get; private set; }
    public string? Severity { get; private set; }
    public string? Rule { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int Pages { get; private set; }
    public IReadOnlyList<FindingStore.CodeCount> Codes { get; private set; } = [];
    public FindingsTable Findings { get; private set; } = new([], false, null);

    /// <summary>For a key that may not see the findings one by one: how many under each rule, as published.</summary>
    public FindingSummary? Summary { get; private set; }
    public bool CanSend => Caller.From(User)?.Role == Role.Provider;

    /// <summary>"Your" to the service that sent it; the service's code to anyone else.</summary>
    private string Whose => CanSend ? "Your" : $"{Submission!.ProviderCode}'s";

    public string Verdict => Submission!.Status switch
    {
        SubmissionStatus.Accepted => $"{Whose} {PlainEnglish.Month(Submission.Period)} return was accepted",
        SubmissionStatus.Rejected => $"{Whose} {PlainEnglish.Month(Submission.Period)} return was rejected: {PlainEnglish.Count(Submission.ErrorCount)} {(Submission.ErrorCount == 1 ? "error" : "errors")} to fix",
        SubmissionStatus.Superseded => "A later return for this month replaced this one",
        SubmissionStatus.Failed => "The service could not finish checking this return. It will try again; you do not need to send it again",
        _ when Submission.RowsTotal is > 0 && Submission.RowsRead is { } read =>
            $"Checking the return: {PlainEnglish.Count(read)} of {PlainEnglish.Count(Submission.RowsTotal)} rows read",
        _ => "The return is waiting to be checked",
    };

    public string PageLink(int page)
        => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Url.Page("/Submissions/Show", new { id = Submission!.Id })!,
        new Dictionary<string,
            string?>
        {
            ["severity"] = Severity,
            ["rule"] = Rule,
            ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture)
        }
            .Where(p => p.Value is not null));

    public async Task<IActionResult> OnGetAsync(long id, string? severity, string? rule, int? page, bool same, CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        if (await FindAsync(caller, id, ct) is null) return NotFound();
        Same = same;
        if (!FindingStore.ListsFindings(caller))
        {
            Summary = await findings.SummaryAsync(id, ct);
            return Page();
        }
        Severity = severity is "error" or "warning" ? severity : null;
        Codes = await findings.CodesAsync(id, ct);
        Rule = Codes.Any(c => c.Code == rule) ? rule : null;
        var withValues = FindingStore.ShowsRowValues(caller);
        PageNumber = Math.Max(1, page ?? 1);
        var (items, total) = await findings.FilteredPageAsync(id, Severity, Rule, PageNumber, PageSize, withValues, ct);
        Pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        if (PageNumber > Pages) (items, _) = await findings.FilteredPageAsync(id, Severity, Rule, PageNumber = Pages, PageSize, withValues,
            ct);
        Findings = new FindingsTable(items.Select(f => (f.Code, f.Severity, f.Line, f.Column, f.Value, f.Message)).ToList(), withValues,
            total > PageSize ? $"Findings {(PageNumber - 1) * PageSize + 1:N0} to {Math.Min(total, PageNumber * PageSize):N0} of {total:N0}." : null);
        return Page();
    }

    /// <summary>How far checking has got, for the send page's progress bar.</summary>
    public async Task<IActionResult> OnGetProgressAsync(long id, CancellationToken ct)
    {
        if (await FindAsync(Caller.From(User)!, id, ct) is not { } s) return NotFound();
        return new JsonResult(new
        {
            status = s.Status.Name(),
            rows_read = s.RowsRead,
            rows_total = s.RowsTotal,
            decided = s.Status.IsDecided() || s.Status == SubmissionStatus.Failed,
            verdict = Verdict,
        });
    }

    public async Task<IActionResult> OnGetFindingsAsync(long id, CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        if (await FindAsync(caller, id, ct) is null) return NotFound();
        Response.ContentType = CsvOutput.ContentType;
        Response.Headers.ContentDisposition = $"attachment; filename=\"submission-{id}-findings.csv\"";
        await findings.WriteCsvAsync(Response.Body, id, caller, ct);
        return new EmptyResult();
    }

    private async Task<SubmissionView?> FindAsync(Caller caller, long id, CancellationToken ct)
    {
        var found = await store.GetAsync(id, ct);
        // Outside the key's scope is not found: ids are sequential and must not reveal others' activity.
        if (found is null || !caller.CanReadProvider(found.Submission.ProviderCode, found.IcbCode)) return null;
        return Submission = found.Submission.SeenBy(caller);
    }
}
