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
    /// <remarks>
    /// Figures as published never change: their tag names the publication, and a client may keep them as long as it likes
    /// (<c>immutable</c>), still privately, since what a key may see is its own.
    /// </remarks>
    public static bool IsCurrent(HttpContext http, string prefix, long version, string asked)
    {
        var publication = http.Features.Get<Publication>();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(asked)))[..16];
        var tag = publication is null ? $"\"{prefix}{version}-{hash}\"" : $"\"{prefix}p{publication.Id}-{hash}\"";
        var headers = http.Response.Headers;
        headers.ETag = tag;
        headers["X-Data-Version"] = version.ToString(CultureInfo.InvariantCulture);
        headers.CacheControl = publication is null ? "private, no-cache" : "private, max-age=31536000, immutable";
        headers.Vary = "Accept, Accept-Encoding";
        return http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(t => t.Trim() == tag));
    }
}
