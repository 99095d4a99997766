using System.IO.Compression;

namespace Feedback.Server.ClickHouseHttp;

/// <summary>The HTTP content codings the endpoint reads (request bodies) and writes (responses).</summary>
internal static class HttpCompression
{
    private static readonly string[] Preference = ["zstd", "br", "gzip", "deflate"];

    /// <summary>Decodes a request body by its Content-Encoding (ClickHouse's "deflate" is zlib).</summary>
    public static Stream Decode(Stream body, string? contentEncoding) => contentEncoding?.Trim().ToLowerInvariant() switch
    {
        null or "" or "identity" or "none" => body,
        "gzip" or "x-gzip" => new GZipStream(body, CompressionMode.Decompress, leaveOpen: true),
        "deflate" => new ZLibStream(body, CompressionMode.Decompress, leaveOpen: true),
        "br" => new BrotliStream(body, CompressionMode.Decompress, leaveOpen: true),
        "zstd" => new ZstdSharp.DecompressionStream(body, leaveOpen: true),
        var other => throw ClickHouseErrors.Create(ClickHouseErrors.UnknownCompressionMethod, "UNKNOWN_COMPRESSION_METHOD",
            $"Unsupported HTTP Content-Encoding '{other}': this server reads gzip, deflate, br and zstd"),
    };

    /// <summary>
    /// The coding for a response, from Accept-Encoding: ClickHouse picks by its own fixed preference, not by
    /// q-values, so this does too (among the codings written here); null means none.
    /// </summary>
    public static string? Choose(string? acceptEncoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding)) return null;
        var offered = acceptEncoding.Split(',').Select(e => e.Split(';')[0].Trim().ToLowerInvariant()).ToHashSet();
        return Preference.FirstOrDefault(offered.Contains);
    }

    public static Stream Encode(Stream response, string coding) => coding switch
    {
        "zstd" => new ZstdSharp.CompressionStream(response, leaveOpen: true),
        "br" => new BrotliStream(response, CompressionLevel.Fastest, leaveOpen: true),
        "gzip" => new GZipStream(response, CompressionLevel.Fastest, leaveOpen: true),
        _ => new ZLibStream(response, CompressionLevel.Fastest, leaveOpen: true),
    };
}
