using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Bodies are capped per endpoint (uploads declare their own limit through <see cref="IRequestSizeLimitMetadata"/>;
/// everything else gets <c>Limits:MaxJsonBodyBytes</c>). A declared length over the cap is refused with 413 before
/// anything is read; Kestrel enforces the same cap on bodies that arrive without a length.
/// </summary>
public static class RequestLimits
{
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        var defaultLimit = app.Configuration.GetValue("Limits:MaxJsonBodyBytes", 1L << 20);
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? defaultLimit;
            if (context.Request.ContentLength > limit)
                throw new BadHttpRequestException($"The request body is larger than this endpoint's limit of {limit:N0} bytes.",
                    StatusCodes.Status413PayloadTooLarge);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            await next(context);
        });
        return app;
    }
}
