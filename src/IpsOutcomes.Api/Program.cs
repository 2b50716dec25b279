using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Keys;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;

if (Health.IsProbeInvocation(args)) return await Health.ProbeAsync(args);

var builder = WebApplication.CreateBuilder(args);

builder.AddDatabase();
builder.AddProblems();
builder.AddApiKeys();
builder.AddJobs();
builder.AddReturns();
builder.AddIndicators();
builder.AddHealth();
builder.AddApiDocumentation();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IpsOutcomes.Audit.AuditLog>();
builder.Services.AddSingleton<DataVersion>();

var app = builder.Build();

if (KeysCommand.IsInvocation(args)) return await KeysCommand.RunAsync(app.Services, args);

app.UseProblems();
app.UseRequestLimits();
app.MapApiDocumentation();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapJobsDashboard();

var api = app.MapGroup("/api/v1").RequireAuthorization();
api.MapOrganisations();
api.MapKeys();
api.MapReturns();
api.MapSubmissions();
api.MapIndicators();
api.MapIndicatorSummary();
api.MapEquality();
api.MapReferenceData();

await app.RunAsync();
return 0;

public partial class Program;
