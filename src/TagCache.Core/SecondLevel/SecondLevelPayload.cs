using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using TagCache.Tags;

namespace TagCache.SecondLevel;

/// <summary>
/// What one second-level value is on the wire: its stamp (the log and the position its computation started at), its
/// expiry, the type it was cached as, every tag it depends on, then the serialized value, compressed or not.
/// </summary>
/// <remarks>
/// Layout, little-endian: <c>"TCL2"</c>, version, flags (bit 0: Brotli), log (16 bytes), position (8), expiry in Unix
/// milliseconds (8; <see cref="long.MaxValue"/> for never), the type's name and each tag as a 7-bit length and UTF-8,
/// the tag count before the tags, then the value to the end.
/// </remarks>
internal readonly record struct SecondLevelPayload(LogStamp Stamp, long ExpiresAtMs, string Type, string[] Tags, ReadOnlyMemory<byte> Value)
{
    private const byte Version = 1;
    private const byte Compressed = 1;
    private static ReadOnlySpan<byte> Magic => "TCL2"u8;

    /// <summary>Writes a payload; the value is compressed when it is larger than <paramref name="compressAbove"/>.</summary>
    public static byte[] Write(LogStamp stamp, long expiresAtMs, string type, IReadOnlyList<string> tags, ReadOnlySpan<byte> value, int? compressAbove)
    {
        var writer = new ArrayBufferWriter<byte>(64 + value.Length);
        writer.Write(Magic);
        var compress = compressAbove is { } above && value.Length > above;
        writer.Write([Version, compress ? Compressed : (byte)0]);
        stamp.Log.TryWriteBytes(writer.GetSpan(16));
        writer.Advance(16);
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), stamp.Position);
        writer.Advance(8);
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), expiresAtMs);
        writer.Advance(8);
        WriteString(writer, type);
        WriteCount(writer, tags.Count);
        foreach (var tag in tags)
        {
            WriteString(writer, tag);
        }

        if (compress)
        {
            var bound = BrotliEncoder.GetMaxCompressedLength(value.Length);
            if (!BrotliEncoder.TryCompress(value, writer.GetSpan(bound), out var written, quality: 4, window: 22))
            {
                throw new InvalidOperationException("Brotli could not compress the value within its own bound.");
            }

            writer.Advance(written);
        }
        else
        {
            writer.Write(value);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload; throws <see cref="FormatException"/> when the bytes are not one (garbage, another writer, a truncated value).</summary>
    public static SecondLevelPayload Read(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.Length < 38 || !span[..4].SequenceEqual(Magic))
        {
            throw new FormatException("The bytes are not a TagCache second-level value (no TCL2 header).");
        }

        if (span[4] != Version)
        {
            throw new FormatException($"The value was written in format {span[4]}; this version reads format {Version}.");
        }

        var compressed = (span[5] & Compressed) != 0;
        var log = new Guid(span.Slice(6, 16));
        var position = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(22, 8));
        var expires = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(30, 8));
        var offset = 38;
        var type = ReadString(span, ref offset);
        var count = ReadCount(span, ref offset);
        if (count > span.Length - offset)
        {
            throw new FormatException("The value's tag count is larger than the value.");
        }

        var tags = new string[count];
        for (var i = 0; i < count; i++)
        {
            tags[i] = ReadString(span, ref offset);
        }

        ReadOnlyMemory<byte> value = bytes.AsMemory(offset);
        if (compressed)
        {
            value = Decompress(value.Span);
        }

        return new SecondLevelPayload(new LogStamp(log, position), expires, type, tags, value);
    }

    private static byte[] Decompress(ReadOnlySpan<byte> source)
    {
        using var decoder = new BrotliDecoder();
        var buffer = new byte[Math.Max(256, source.Length * 4)];
        var total = 0;
        while (true)
        {
            var status = decoder.Decompress(source, buffer.AsSpan(total), out var consumed, out var written);
            source = source[consumed..];
            total += written;
            switch (status)
            {
                case OperationStatus.Done:
                    return buffer.AsSpan(0, total).ToArray();
                case OperationStatus.DestinationTooSmall:
                    Array.Resize(ref buffer, buffer.Length * 2);
                    break;
                default:
                    throw new FormatException("The value's compressed bytes are damaged.");
            }
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteCount(writer, length);
        Encoding.UTF8.GetBytes(text, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static void WriteCount(ArrayBufferWriter<byte> writer, int count)
    {
        var value = (uint)count;
        while (value >= 0x80)
        {
            writer.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }

        writer.Write([(byte)value]);
    }

    private static int ReadCount(ReadOnlySpan<byte> span, ref int offset)
    {
        var result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (offset >= span.Length)
            {
                throw new FormatException("The value ends inside a length.");
            }

            var b = span[offset++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result >= 0 ? result : throw new FormatException("The value holds a negative length.");
            }
        }

        throw new FormatException("The value holds a malformed length.");
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int offset)
    {
        var length = ReadCount(span, ref offset);
        if (length > span.Length - offset)
        {
            throw new FormatException("The value ends inside a string.");
        }

        var text = Encoding.UTF8.GetString(span.Slice(offset, length));
        offset += length;
        return text;
    }
}
