using System.Text.Json;
using System.Text.Json.Serialization;
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
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
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
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
            return Task.CompletedTask;
        }));
        return builder;
    }

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
