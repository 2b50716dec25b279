using IpsOutcomes.Audit;
using IpsOutcomes.Charts;
using IpsOutcomes.Equality;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Identity;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Keys;
using IpsOutcomes.MonthEnd;
using IpsOutcomes.Organisations;
using IpsOutcomes.Pages;
using IpsOutcomes.Publications;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;
using IpsOutcomes.Webhooks;

if (Health.IsProbeInvocation(args)) return await Health.ProbeAsync(args);

// Settings are read once, at start: reloading them on change would watch the content root, where the data folder is
// by default, and wake on every write SQLite makes (docs/benchmarks.md has what that cost).
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);

builder.AddDatabase();
builder.AddProblems();
builder.AddOrganisations();
builder.AddApiKeys();
builder.AddIdentity();
builder.AddJobs();
builder.AddWebhooks();
builder.AddSubmissions();
builder.AddIndicators();
builder.AddEquality();
builder.AddCharts();
builder.AddMonthEnd();
builder.AddFidelity();
builder.AddPublications();
builder.AddHealth();
builder.AddApiDocumentation();
builder.AddRateLimits();
builder.AddSecurityHeaders();
builder.AddPages();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<AuditedChanges>();
builder.Services.AddSingleton<DataVersion>();

var app = builder.Build();

if (KeysCommand.IsInvocation(args)) return await KeysCommand.RunAsync(app.Services, args);

app.UseSecurityHeaders();
app.UseHeadAsGet();
app.UseRouting(); // after HEAD is read as GET, so that HEAD finds the GET's endpoint
app.UseProblems();
app.UsePages();
app.UseRequestLimits();
app.MapApiDocumentation();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UsePublishedFigures(); // after authorisation: an unknown publication is not news to a stranger

app.MapHealth();
app.MapJobsDashboard();

var api = app.MapGroup("/api/v1").RequireAuthorization().RequireRateLimiting(RateLimits.Reads);
api.MapOrganisations();
api.MapKeys();
api.MapUsers();
api.MapReturns();
api.MapSubmissions();
api.MapIndicators();
api.MapIndicatorSummary();
api.MapCoverage();
api.MapPeers();
api.MapEquality();
api.MapReferenceData();
api.MapCompleteness();
api.MapCharts();
api.MapFidelity();
api.MapQualityMark();
api.MapPublications();
api.MapSignOffs();
api.MapAudit();
api.MapWebhooks();

app.MapPages();

await app.RunAsync();
return 0;

public partial class Program;
