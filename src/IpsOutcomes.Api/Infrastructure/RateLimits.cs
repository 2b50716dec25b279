using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Per key, per minute: reads (<c>RateLimits:ReadsPerMinute</c>, default 600) and uploads (<c>RateLimits:UploadsPerMinute</c>,
/// default 30) are counted separately. Over the limit: 429 problem details with <c>Retry-After</c>. 0 turns a limit off.
/// </summary>
public static class RateLimits
{
    public const string Reads = "reads";
    public const string Uploads = "uploads";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        var reads = builder.Configuration.GetValue("RateLimits:ReadsPerMinute", 600);
        var uploads = builder.Configuration.GetValue("RateLimits:UploadsPerMinute", 30);
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(Reads, http => PerKey(http, Reads, reads));
            options.AddPolicy(Uploads, http => PerKey(http, Uploads, uploads));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds)
                    : 60;
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests for this key",
                    $"Try again in {retryAfter} seconds.", ProblemTypes.TooManyRequests, retryAfter);
            };
        });
        return builder;
    }

    private static RateLimitPartition<string> PerKey(HttpContext http, string kind, int perMinute)
    {
        var key = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        return perMinute <= 0
            ? RateLimitPartition.GetNoLimiter($"{kind}:{key}")
            : RateLimitPartition.GetFixedWindowLimiter($"{kind}:{key}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
    }
}
