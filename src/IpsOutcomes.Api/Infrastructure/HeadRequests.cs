namespace IpsOutcomes.Infrastructure;

/// <summary>
/// HEAD on the API is its GET without the body (RFC 9110): a BI tool or a link checker learns the status, the type, the
/// length and the ETag without the figures. Routed, authorised, limited and audited as the GET it stands for.
/// </summary>
public static class HeadRequests
{
    public static WebApplication UseHeadAsGet(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsHead(http.Request.Method) || !http.Request.Path.StartsWithSegments("/api"))
            {
                await next(http);
                return;
            }
            http.Request.Method = HttpMethods.Get;
            var body = http.Response.Body;
            http.Response.Body = Stream.Null;
            try
            {
                await next(http);
            }
            finally
            {
                http.Response.Body = body;
                http.Request.Method = HttpMethods.Head;
            }
        });
        return app;
    }
}
