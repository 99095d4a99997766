using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Feedback.Server.Capture;

/// <summary>
/// Serves the browser capture script (sdk/browser/feedback.js, embedded at build) that web chat UIs import
/// (docs/browser.md). Public: it holds no key and no data.
/// </summary>
[ApiController]
[Route("v1")]
public sealed class BrowserScriptController : ControllerBase
{
    private static readonly byte[] Script = Load();

    // Compressed once: the script is about a third of its size gzipped.
    private static readonly byte[] Gzipped = Gzip(Script);

    // Change with every build that changes the script, so a revalidation after max-age costs a 304 only; one per representation.
    private static readonly EntityTagHeaderValue ETag = new("\"" + Convert.ToHexStringLower(SHA256.HashData(Script))[..32] + "\"");
    private static readonly EntityTagHeaderValue GzippedETag = new(ETag.Tag.ToString().TrimEnd('"') + "-gzip\"");

    /// <summary>The browser capture script, an ES module (<c>import { FeedbackClient } from ".../v1/feedback.js"</c>).</summary>
    [HttpGet("feedback.js")]
    [HttpHead("feedback.js")]
    [Produces("text/javascript")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    public IActionResult GetScript()
    {
        var headers = Response.Headers;
        // An hour: pages load it on every visit, and an upgraded server's script reaches them within the hour.
        headers.CacheControl = "public, max-age=3600";
        headers.XContentTypeOptions = "nosniff";
        // A module script from another origin is fetched with CORS; any page may load it (it is the same for all).
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        var gzip = Request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);
        if (gzip) headers.ContentEncoding = "gzip";
        // With the entity tag, the file result answers If-None-Match with 304 and HEAD without a body.
        return File(gzip ? Gzipped : Script, "text/javascript; charset=utf-8", lastModified: null, entityTag: gzip ? GzippedETag : ETag);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize)) gzip.Write(bytes);
        return compressed.ToArray();
    }

    private static byte[] Load()
    {
        using var stream = typeof(BrowserScriptController).Assembly.GetManifestResourceStream("browser/feedback.js")
            ?? throw new InvalidOperationException("the browser script is not embedded (sdk/browser/feedback.js)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
