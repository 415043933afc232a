using System.Buffers.Binary;
using System.Text;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Orchestrator.Workers;

namespace AutoCompress.Orchestrator.Tests;

/// <summary>The framing and validation of worker messages, on in-memory streams.</summary>
public sealed class WorkerProtocolTests
{
    private static byte[] Frame(string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    private static Task<WorkerMessage?> Read(byte[] bytes) => WorkerProtocol.ReadAsync(new MemoryStream(bytes));

    private static async Task<string> Refused(byte[] bytes) => (await Assert.ThrowsAsync<WorkerProtocolException>(() => Read(bytes))).Message;

    [Fact]
    public async Task Every_message_survives_the_round_trip()
    {
        var request = new EvaluationRequest(42, "exp", """{"sparsity":0.5}""", 3, 7, "/tmp/w");
        var result = new EvaluationResult(new Dictionary<string, double> { ["test_accuracy"] = 0.91, ["loss"] = double.NaN, ["ratio"] = double.PositiveInfinity },
            ["/tmp/w/a.safetensors"], """{"layers":[]}""");
        WorkerMessage[] messages =
        [
            new RunMessage(request, "test-eval"), new CancelMessage(42), new ShutdownMessage(),
            new ReadyMessage(WorkerProtocol.Version, 1234, ["a", "b"], ["a"], ["c: broken"]),
            new LogMessage(42, "epoch 1 \"quoted\" ünïcode\nsecond line"), new DoneMessage(42, result),
            new FailedMessage(42, "boom", "System.InvalidOperationException", "stack"),
        ];
        var stream = new MemoryStream();
        foreach (var m in messages) await WorkerProtocol.WriteAsync(stream, m);
        stream.Position = 0;

        var run = Assert.IsType<RunMessage>(await WorkerProtocol.ReadAsync(stream));
        Assert.Equal(request, run.Request);
        Assert.Equal("test-eval", run.Evaluator);
        Assert.Equal(42, Assert.IsType<CancelMessage>(await WorkerProtocol.ReadAsync(stream)).TrialId);
        Assert.IsType<ShutdownMessage>(await WorkerProtocol.ReadAsync(stream));
        var ready = Assert.IsType<ReadyMessage>(await WorkerProtocol.ReadAsync(stream));
        Assert.Equal(1234, ready.Pid);
        Assert.Equal(new[] { "a", "b" }, ready.Plugins);
        Assert.Equal(new[] { "a" }, ready.Evaluators);
        Assert.Equal(new[] { "c: broken" }, ready.Broken);
        Assert.Equal("epoch 1 \"quoted\" ünïcode\nsecond line", Assert.IsType<LogMessage>(await WorkerProtocol.ReadAsync(stream)).Line);
        var done = Assert.IsType<DoneMessage>(await WorkerProtocol.ReadAsync(stream));
        Assert.Equal(0.91, done.Result.Metrics["test_accuracy"]);
        Assert.True(double.IsNaN(done.Result.Metrics["loss"]));
        Assert.Equal(double.PositiveInfinity, done.Result.Metrics["ratio"]);
        Assert.Equal(result.Artifacts, done.Result.Artifacts);
        Assert.Equal(result.Description, done.Result.Description);
        var failed = Assert.IsType<FailedMessage>(await WorkerProtocol.ReadAsync(stream));
        Assert.Equal(("boom", "System.InvalidOperationException", "stack"), (failed.Error, failed.ExceptionType, failed.Detail));
        Assert.Null(await WorkerProtocol.ReadAsync(stream)); // clean end between frames
    }

    [Fact]
    public async Task A_frame_is_a_little_endian_length_and_json_with_a_type()
    {
        var frame = WorkerProtocol.Encode(new CancelMessage(5));
        Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32LittleEndian(frame));
        Assert.Equal("""{"type":"cancel","trial_id":5}""", Encoding.UTF8.GetString(frame, 4, frame.Length - 4));
        // The type may come anywhere in the object.
        Assert.Equal(5, Assert.IsType<CancelMessage>(await Read(Frame("""{"trial_id":5,"type":"cancel"}"""))).TrialId);
    }

    [Fact]
    public async Task Text_that_is_not_a_frame_is_refused_and_quoted()
    {
        var error = await Refused(Encoding.UTF8.GetBytes("junk\n"));
        Assert.Contains("invalid frame length", error);
        Assert.Contains("\"junk\"", error);
        Assert.Contains("not carry protocol frames", error);
        Assert.Contains("ended inside a frame header", await Refused([1, 0]));
        Assert.Contains("invalid frame length 0", await Refused([0, 0, 0, 0]));
        Assert.Contains("invalid frame length -1", await Refused([255, 255, 255, 255]));
    }

    [Fact]
    public async Task A_stream_ending_inside_a_frame_is_refused()
    {
        var frame = Frame("""{"type":"shutdown"}""");
        Assert.Contains("ended inside a frame: 10 of 19 bytes", await Refused(frame[..14]));
    }

    [Theory]
    [InlineData("""{"type":"shutdown" """, "invalid message")]
    [InlineData("""{"type":"explode"}""", "explode")]
    [InlineData("""{"trial_id":1}""", "invalid message")]
    [InlineData("""{"type":"log","trial_id":1}""", "line")]
    [InlineData("""{"type":"log","trial_id":1,"line":null}""", "line")]
    [InlineData("""{"type":"log","trial_id":"one","line":"x"}""", "trial_id")]
    [InlineData("""{"type":"log","trial_id":1,"line":"x","extra":2}""", "extra")]
    [InlineData("""{"type":"done","trial_id":1,"result":{"metrics":{"a":1}}}""", "artifacts")]
    [InlineData("""{"type":"done","trial_id":1,"result":{"metrics":{"":1},"artifacts":[]}}""", "empty name")]
    [InlineData("""{"type":"ready","protocol":99,"pid":5,"plugins":[],"evaluators":[],"broken":[]}""", "protocol 99")]
    [InlineData("""{"type":"ready","protocol":1,"pid":0,"plugins":[],"evaluators":[],"broken":[]}""", "invalid pid 0")]
    [InlineData("""{"type":"run","evaluator":"","request":{"trial_id":1,"experiment_id":"e","config":"{}","fidelity":null,"seed":1,"work_directory":"/w"}}""", "evaluator")]
    [InlineData("""null""", "null")]
    [InlineData("""[1,2]""", "invalid message")]
    public async Task Malformed_messages_are_refused_with_what_is_wrong(string json, string expected)
    {
        var error = await Refused(Frame(json));
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused()
    {
        byte[] payload = [(byte)'{', 0xC3, 0x28, (byte)'}'];
        var frame = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 4);
        payload.CopyTo(frame, 4);
        Assert.Contains("invalid message", await Refused(frame));
    }
}
