using System.Collections.Concurrent;
using System.Net;

namespace AutoCompress.Observability.Tests;

/// <summary>One span as an OTLP exporter sent it: ids as hex, the exporting process's service.name.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A local OTLP/HTTP receiver (protobuf): accepts POST /v1/traces and /v1/metrics on a loopback port, answers 200, and
/// decodes the spans of each trace export with a minimal protobuf reader (the few fields a test checks).
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public OtlpReceiver()
    {
        Port = TestHost.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public ConcurrentQueue<string> Paths { get; } = new();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var path = context.Request.Url!.AbsolutePath;
            Paths.Enqueue(path);
            if (path == "/v1/traces")
                foreach (var span in Decode(body.ToArray())) Spans.Enqueue(span);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }   Resource { repeated KeyValue attributes = 1; }
    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; repeated KeyValue attributes = 9; }
    // KeyValue { string key = 1; AnyValue value = 2; }   AnyValue { string string_value = 1; bool = 2; int64 int_value = 3; ... }
    private static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var (field, resourceSpans) in Fields(request))
        {
            if (field != 1) continue;
            var service = "";
            var spans = new List<byte[]>();
            foreach (var (f, value) in Fields(resourceSpans))
            {
                if (f == 1)
                    foreach (var (af, kv) in Fields(value))
                        if (af == 1 && Attribute(kv) is ("service.name", var name)) service = name;
                if (f == 2)
                    foreach (var (sf, span) in Fields(value))
                        if (sf == 2) spans.Add(span);
            }
            foreach (var span in spans)
            {
                string trace = "", id = "", parent = "", name = "";
                var attributes = new Dictionary<string, string>();
                foreach (var (f, value) in Fields(span))
                {
                    switch (f)
                    {
                        case 1: trace = Convert.ToHexStringLower(value); break;
                        case 2: id = Convert.ToHexStringLower(value); break;
                        case 4: parent = Convert.ToHexStringLower(value); break;
                        case 5: name = System.Text.Encoding.UTF8.GetString(value); break;
                        case 9 when Attribute(value) is var (k, v): attributes[k] = v; break;
                    }
                }
                yield return new ReceivedSpan(service, trace, id, parent, name, attributes);
            }
        }
    }

    private static (string Key, string Value)? Attribute(byte[] keyValue)
    {
        string? key = null, text = null;
        foreach (var (f, value) in Fields(keyValue))
        {
            if (f == 1) key = System.Text.Encoding.UTF8.GetString(value);
            if (f == 2)
                foreach (var (vf, v) in Fields(value, varints: true))
                    text = vf == 1 ? System.Text.Encoding.UTF8.GetString(v) : BitConverter.ToInt64(v).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return key is null ? null : (key, text ?? "");
    }

    // The fields of a protobuf message: length-delimited ones with their bytes; with varints, varint ones too (as 8 bytes).
    private static IEnumerable<(int Field, byte[] Value)> Fields(byte[] message, bool varints = false)
    {
        var i = 0;
        while (i < message.Length)
        {
            var tag = ReadVarint(message, ref i);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    var v = ReadVarint(message, ref i);
                    if (varints) yield return (field, BitConverter.GetBytes(v));
                    break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    yield return (field, message[i..(i + length)]);
                    i += length;
                    break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {tag & 7}");
            }
        }
    }

    private static ulong ReadVarint(byte[] b, ref int i)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var x = b[i++];
            result |= (ulong)(x & 0x7f) << shift;
            if ((x & 0x80) == 0) return result;
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
