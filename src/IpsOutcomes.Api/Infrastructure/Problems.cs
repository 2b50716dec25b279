using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Infrastructure;

/// <summary>The stable <c>type</c> URIs of the service's problem details.</summary>
public static class ProblemTypes
{
    public const string TypePrefix = "urn:ipsoutcomes:problem:";

    public const string BadRequest = TypePrefix + "bad-request";
    public const string Validation = TypePrefix + "validation";
    public const string Unauthorized = TypePrefix + "unauthorized";
    public const string Forbidden = TypePrefix + "forbidden";
    public const string NotFound = TypePrefix + "not-found";
    public const string MethodNotAllowed = TypePrefix + "method-not-allowed";
    public const string Conflict = TypePrefix + "conflict";
    public const string PayloadTooLarge = TypePrefix + "payload-too-large";
    public const string UnsupportedMediaType = TypePrefix + "unsupported-media-type";
    public const string TooManyRequests = TypePrefix + "too-many-requests";
    public const string Internal = TypePrefix + "internal";
    public const string Unavailable = TypePrefix + "unavailable";

    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => TooManyRequests,
        503 => Unavailable,
        >= 500 => Internal,
        _ => TypePrefix + status,
    };
}

/// <summary>
/// Every error leaves as RFC 9457 problem details with a stable <c>type</c> a client can switch on.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Problem(int status, string title, string? detail = null, string? type = null,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: type ?? ProblemTypes.ForStatus(status),
            extensions: extensions);

    public static ProblemHttpResult Forbidden(string detail) => Problem(403, "Outside this key's scope", detail);
    public static ProblemHttpResult NotFound(string detail) => Problem(404, "Not found", detail);
    public static ProblemHttpResult Conflict(string detail) => Problem(409, "Conflict", detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is not valid", type: ProblemTypes.Validation);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid", type: ProblemTypes.Validation);

    /// <summary>
    /// A problem written straight to the response, where no endpoint returns one (authentication's challenge, a rate
    /// limit's refusal): the status, <c>Retry-After</c> where given, and the body the problem details service writes.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, int status, string title, string? detail, string type,
        int? retryAfterSeconds = null)
    {
        http.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Type = type },
        });
    }

    public static WebApplicationBuilder AddProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (problem.Type is null || !problem.Type.StartsWith(ProblemTypes.TypePrefix, StringComparison.Ordinal))
                problem.Type = ProblemTypes.ForStatus(status);
            if (status >= 500)
            {
                // Faults are logged with their trace id; nothing about them leaves the process.
                problem.Title = "The service could not complete the request";
                problem.Detail = "Quote the traceId when reporting this.";
            }
            else if (context.Exception is BadHttpRequestException bad)
            {
                problem.Detail = bad.Message;
            }
            problem.Instance ??= context.HttpContext.Request.Path;
        });
        // Minimal APIs answer a body that cannot be bound by throwing BadHttpRequestException; the exception
        // handler below turns it into a 400 (or 413) problem instead of an empty response.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector = exception =>
            exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        return builder;
    }

    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
