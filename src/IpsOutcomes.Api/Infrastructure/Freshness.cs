using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Reports carry an ETag derived from the data version and what was asked, so a BI refresh that finds nothing new
/// costs almost nothing: <c>If-None-Match</c> with the current tag is answered 304 with no body.
/// </summary>
public static class Freshness
{
    /// <summary>Sets the answer's ETag and data version; true when the client's copy is current.</summary>
    public static bool IsCurrent(HttpContext http, string prefix, long version, string asked)
    {
        var tag = $"\"{prefix}{version}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(asked)))[..16]}\"";
        var headers = http.Response.Headers;
        headers.ETag = tag;
        headers["X-Data-Version"] = version.ToString(CultureInfo.InvariantCulture);
        headers.CacheControl = "private, no-cache";
        headers.Vary = "Accept, Accept-Encoding";
        return http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(t => t.Trim() == tag));
    }
}
