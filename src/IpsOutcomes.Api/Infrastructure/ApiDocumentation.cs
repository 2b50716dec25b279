using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace IpsOutcomes.Infrastructure;

/// <summary>JSON conventions, the OpenAPI document (committed under openapi/) and Swagger UI.</summary>
public static class ApiDocumentation
{
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        // snake_case everywhere, so JSON properties and CSV columns carry the same names.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
            // Enums travel by name only: "role": 3 would otherwise bind to a role no one named.
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower,
                allowIntegerValues: false));
        });
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "IpsOutcomes API",
                Version = "v1",
                Description = "Monthly IPS returns in; access, outcome and racial-equality indicators out.",
            };
            // The committed document must not depend on the host that served it.
            document.Servers?.Clear();
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "An API key, sent as 'X-Api-Key: <secret>' or 'Authorization: ApiKey <secret>'.",
            };
            document.Components.SecuritySchemes["Basic"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "The same key as the password of HTTP Basic authentication (any user name), for BI tools' scheduled refresh. Refused over plain HTTP when Security:RequireHttps is set.",
            };
            // Either scheme: a list of requirements is an OR.
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Basic", document)] = [] });
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>
    /// An example of the 200 answer in the OpenAPI document, written as the service writes it: the app's JSON, and the
    /// CSV (<paramref name="csv"/>, or the tidy table of an <see cref="ITidy"/> answer) where the route serves CSV.
    /// </summary>
    public static RouteHandlerBuilder WithExample<T>(this RouteHandlerBuilder builder, T example, Func<T, byte[]>? csv = null) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var response) != true
                || response!.Content is not { } content) return Task.CompletedTask;
            var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            if (content.TryGetValue("application/json", out var asJson)) asJson.Example = JsonSerializer.SerializeToNode(example, json);
            var table = csv?.Invoke(example) ?? (example is ITidy tidy ? CsvOutput.Table(tidy) : null);
            if (table is not null && content.TryGetValue("text/csv", out var asCsv))
                asCsv.Example = JsonValue.Create(Encoding.UTF8.GetString(table).TrimStart('\uFEFF'));
            return Task.CompletedTask;
        });

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "IpsOutcomes v1");
            options.RoutePrefix = "swagger";
        });
        return app;
    }
}
