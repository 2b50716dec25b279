using System.Text;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IpsOutcomes.Pages;

/// <summary>
/// Send a return, or check it only, through the same <see cref="ReturnIntake"/> as the API. The form is read as a
/// stream (the antiforgery token, the month, then the file straight into the spool), so a million-row file takes
/// no more memory here than through the API. Its token is therefore checked by hand, from the first field.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class SendModel(ReturnIntake intake, IAntiforgery antiforgery, OrganisationStore organisations, TimeProvider clock)
    : PageModel
{
    private const string TokenField = "__RequestVerificationToken";
    private const string HeaderName = "RequestVerificationToken";

    public List<(string Field, string Message)> Errors { get; } = [];
    public IReadOnlyList<ReturnPeriod> Months { get; private set; } = [];
    public string? Period { get; private set; }
    public DryRunResult? Checked { get; private set; }
    public long MaxBytes => intake.Limits.MaxBytes;

    public FindingsTable? CheckedFindings => Checked is not { } result ? null : new FindingsTable(
        result.Findings.Take(ShownFindings).Select(f => (f.Code, f.Severity, f.Line, f.Column, f.Value, f.Message)).ToList(),
            WithValues: true,
        result.Findings.Count > ShownFindings ? $"The first {ShownFindings} of {result.Findings.Count:N0} findings. Send the file to see them all, page by page." : null);

    private const int ShownFindings = 100;

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ProviderAsync(ct) is null) return Forbid(PageSessions.Scheme);
        return Page();
    }

    public IActionResult OnGetTemplate() =>
        File(Encoding.UTF8.GetBytes(ReturnFormat.Template), CsvOutput.ContentType, "ips-return-template.csv");

    // No parameters: binding one would make Razor Pages read (and buffer) the whole form before the handler runs.
    public Task<IActionResult> OnPostSendAsync() => ReceiveAsync(send: true, HttpContext.RequestAborted);

    public Task<IActionResult> OnPostCheckAsync() => ReceiveAsync(send: false, HttpContext.RequestAborted);

    private async Task<IActionResult> ReceiveAsync(bool send, CancellationToken ct)
    {
        var provider = await ProviderAsync(ct);
        if (provider is null) return Forbid(PageSessions.Scheme);
        var caller = Caller.From(User)!;

        var boundary = MediaTypeHeaderValue.TryParse(Request.ContentType, out var type) ? HeaderUtilities.RemoveQuotes(type.Boundary)
            .Value : null;
        if (string.IsNullOrEmpty(boundary)) return Refuse("file", "Choose the file to send");
        var reader = new MultipartReader(boundary, Request.Body) { BodyLengthLimit = null };
        try
        {
            if (await FieldAsync(reader, TokenField, ct) is not { } token) return BadRequest();
            Request.Headers[HeaderName] = token; // so that validation reads the token from here, not the rest of the form
            try { await antiforgery.ValidateRequestAsync(HttpContext); }
            catch (AntiforgeryValidationException) { return BadRequest(); }

            Period = await FieldAsync(reader, "period", ct);
            var (target, refusal) = await intake.CheckAsync(provider.Code, Period ?? "", caller, ct);
            if (target is null) return Refuse("period", MonthProblem(refusal!, provider));

            var section = await reader.ReadNextSectionAsync(ct);
            if (section is null || !IsField(section, "file", out var fileName) || string.IsNullOrEmpty(fileName))
                return Refuse("file", "Choose the file to send");
            var (file, problem) = await SniffAsync(section.Body, fileName, ct);
            if (file is null) return Refuse("file", problem!);

            if (!send)
            {
                var (result, checkRefusal) = await intake.CheckOnlyAsync(target, file, ct);
                if (result is null) return Refuse("file", FileProblem(checkRefusal!));
                Checked = result;
                return Page();
            }
            var received = await intake.SendAsync(target, file, caller, "", HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
            if (received.Refusal is { } sendRefusal) return Refuse("file", FileProblem(sendRefusal));
            var at = $"/submissions/{received.Submission!.Id}{(received.IsNew ? "" : "?same=1")}";
            // With JavaScript the page follows the checking itself; without, the submission's page refreshes until it is decided.
            if (Request.Headers.Accept.ToString().Contains("application/json"))
                return new JsonResult(new { id = received.Submission.Id, url = at, progress = $"/submissions/{received.Submission.Id}?handler=progress" });
            return Redirect(at);
        }
        catch (Exception exception) when (ReturnIntake.IsBrokenBody(exception))
        {
            return Refuse("file", "The file did not arrive whole. Try sending it again");
        }
    }

    /// <summary>An Excel workbook, a PDF or an empty file is refused before anything is stored.</summary>
    private static async Task<(Stream? File, string? Problem)> SniffAsync(Stream body, string fileName, CancellationToken ct)
    {
        var head = new byte[8];
        var read = 0;
        for (int n; read < head.Length && (n = await body.ReadAsync(head.AsMemory(read), ct)) > 0;) read += n;
        var start = head.AsSpan(0, read);
        if (read == 0) return (null, "The selected file is empty");
        if (start.StartsWith("PK\u0003\u0004"u8) || Path.GetExtension(fileName).Equals(".xlsx", StringComparison.OrdinalIgnoreCase))
            return (null, "The selected file is an Excel workbook. In Excel, choose File, Save As, then CSV UTF-8 (Comma delimited), and send that file");
        if (start.StartsWith("%PDF"u8)) return (null, "The selected file is a PDF. Send the return as a CSV file");
        return (new PrefixedStream(head.AsMemory(0, read), body), null);
    }

    private PageResult Refuse(string field, string message)
    {
        Errors.Add((field, message));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string MonthProblem(ProblemHttpResult refusal, Provider provider) => refusal.StatusCode switch
    {
        409 => $"{provider.Name} was not active in that month. It is registered from {PlainEnglish.Date(provider.ActiveFrom)}",
        _ when refusal.ProblemDetails.Title == "That month has not started" => "The month must be one that has started",
        _ => "Choose the month the return is for",
    };

    private string FileProblem(ProblemHttpResult refusal) => refusal.StatusCode switch
    {
        413 => $"The selected file must be smaller than {PlainEnglish.Size(MaxBytes)}",
        409 => "The same file was being sent at this moment. Wait a minute, then check your submissions",
        _ => "The file did not arrive whole. Try sending it again",
    };

    private async Task<Provider?> ProviderAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        if (caller?.Role != Role.Provider) return null;
        var provider = await organisations.ProviderAsync(caller.OrganisationCode!, ct);
        if (provider is null) return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var latest = ReturnPeriod.FromDate(today).Previous;
        Months = Enumerable.Range(0, 25).Select(i => ReturnPeriod.FromDate(latest.FirstDay.AddMonths(1 - i)))
            .Where(m => m.FirstDay <= today && provider.ActiveFrom <= m.LastDay
                && (provider.ActiveTo is null || provider.ActiveTo >= m.FirstDay))
            .ToList();
        Period ??= latest.ToString();
        return provider;
    }

    private static async Task<string?> FieldAsync(MultipartReader reader, string name, CancellationToken ct)
    {
        var section = await reader.ReadNextSectionAsync(ct);
        if (section is null || !IsField(section, name, out _)) return null;
        using var text = new StreamReader(section.Body, Encoding.UTF8, leaveOpen: true); // the reader drains it before the next field
        var buffer = new char[4096];
        var read = await text.ReadBlockAsync(buffer, ct);
        return new string(buffer, 0, read);
    }

    private static bool IsField(MultipartSection section, string name, out string? fileName)
    {
        fileName = null;
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) return false;
        fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
        return HeaderUtilities.RemoveQuotes(disposition.Name).Value == name;
    }
}

/// <summary>The bytes already read to recognise a file, then the rest of it.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (prefix.IsEmpty) return await rest.ReadAsync(buffer, cancellationToken);
        var n = Math.Min(prefix.Length, buffer.Length);
        prefix[..n].CopyTo(buffer);
        prefix = prefix[n..];
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter()
        .GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
