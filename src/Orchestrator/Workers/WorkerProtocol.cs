using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// The framing of worker messages: each message is a 4-byte little-endian length followed by that many
/// bytes of UTF-8 JSON (a <see cref="WorkerMessage"/> with its "type"), on the worker's stdin (parent to
/// worker) and stdout (worker to parent). A length prefix rather than lines so that a message can hold
/// any text, and so that stray output on stdout is detected at once instead of being half-parsed.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>Exchanged in <see cref="ReadyMessage"/>; bump on any incompatible change.</summary>
    public const int Version = 1;

    /// <summary>The largest frame either side accepts; a larger length means the stream is not a protocol stream.</summary>
    public const int MaxFrameBytes = 64 << 20;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // Metrics may legitimately be NaN or infinite (a diverged loss).
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The frame for <paramref name="message"/>: length prefix and JSON.</summary>
    public static byte[] Encode(WorkerMessage message)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        if (json.Length > MaxFrameBytes) throw new WorkerProtocolException($"a {message.GetType().Name} of {json.Length} bytes exceeds the frame limit of {MaxFrameBytes} bytes");
        var frame = new byte[4 + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, json.Length);
        json.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Writes one message and flushes. Callers serialise writes to one stream.</summary>
    public static async Task WriteAsync(Stream stream, WorkerMessage message, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Encode(message), cancel).ConfigureAwait(false);
        await stream.FlushAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one message; null when the stream ends cleanly between messages. Anything else that is not a
    /// valid message (a bad length, a stream ending inside a frame, invalid UTF-8 or JSON, an unknown type,
    /// a missing field) is a <see cref="WorkerProtocolException"/> that says what was received.
    /// </summary>
    public static async Task<WorkerMessage?> ReadAsync(Stream stream, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[4];
        var got = await ReadUpToAsync(stream, header, cancel).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < 4) throw new WorkerProtocolException($"the stream ended inside a frame header (got {Preview(header.AsSpan(0, got))})");
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > MaxFrameBytes)
            throw new WorkerProtocolException(
                $"invalid frame length {length} (header bytes {Preview(header)}); expected 1..{MaxFrameBytes}: the stream does not carry protocol frames (stray output on stdout?)");
        var payload = new byte[length];
        got = await ReadUpToAsync(stream, payload, cancel).ConfigureAwait(false);
        if (got < length) throw new WorkerProtocolException($"the stream ended inside a frame: {got} of {length} bytes ({Preview(payload.AsSpan(0, got))})");
        return Decode(payload);
    }

    /// <summary>Parses and checks one frame's payload.</summary>
    public static WorkerMessage Decode(ReadOnlySpan<byte> payload)
    {
        WorkerMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<WorkerMessage>(payload, Json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WorkerProtocolException($"invalid message {Preview(payload)}: {e.Message}", e);
        }
        if (message is null) throw new WorkerProtocolException("invalid message: null");
        var problem = message.Problem();
        if (problem is not null) throw new WorkerProtocolException($"invalid message {Preview(payload)}: {problem}");
        return message;
    }

    private static async Task<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken cancel)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), cancel).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Up to 120 bytes as text with control characters escaped, quoted, for error messages.</summary>
    internal static string Preview(ReadOnlySpan<byte> bytes)
    {
        const int Max = 120;
        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, Max)]);
        var sb = new StringBuilder("\"");
        foreach (var c in text)
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                _ when char.IsControl(c) => $"\\x{(int)c:X2}",
                _ => c.ToString(),
            });
        sb.Append('"');
        if (bytes.Length > Max) sb.Append($"... ({bytes.Length} bytes)");
        return sb.ToString();
    }
}
