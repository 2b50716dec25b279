using System.Text;

namespace IpsOutcomes.Returns;

/// <summary>What a first pass over the raw bytes tells: can it be read as text, in which encoding, how many lines.</summary>
public sealed record FileScan(long Bytes, int Lines, Encoding? Encoding, FindingText? Unreadable);

public static class ReturnFile
{
    static ReturnFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Excel's "CSV (Comma delimited)" is Windows-1252; everything else we accept is UTF-8 or has a BOM.</summary>
    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static FileScan Scan(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long bytes = 0;
        var lines = 0;
        var lastByte = (byte)'\n';
        Encoding? bomEncoding = null;
        var utf8 = StrictUtf8.GetDecoder();
        var isUtf8 = true;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            if (bytes == 0)
            {
                if (span.StartsWith("PK\u0003\u0004"u8)) return new(read, 0, null, Says.Workbook);
                if (span.StartsWith("%PDF"u8)) return new(read, 0, null, Says.Pdf);
                if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bomEncoding = Encoding.UTF8;
                else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) bomEncoding = Encoding.Unicode;
                else if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) bomEncoding = Encoding.BigEndianUnicode;
            }
            if (bomEncoding is null or UTF8Encoding && span.IndexOf((byte)0) >= 0)
                return new(bytes + read, lines, null, Says.Binary);
            if (isUtf8 && bomEncoding is null)
            {
                try { utf8.GetCharCount(span, flush: false); }
                catch (DecoderFallbackException) { isUtf8 = false; }
            }
            lines += span.Count((byte)'\n');
            lastByte = span[^1];
            bytes += read;
        }
        if (isUtf8 && bomEncoding is null)
        {
            try { utf8.GetCharCount([], flush: true); }
            catch (DecoderFallbackException) { isUtf8 = false; }
        }
        if (lastByte != '\n') lines++;
        return new(bytes, lines, bomEncoding ?? (isUtf8 ? Encoding.UTF8 : Windows1252), null);
    }
}
