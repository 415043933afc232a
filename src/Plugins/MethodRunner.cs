using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;

namespace AutoCompress.Plugins;

/// <summary>How one run of a compression method ended.</summary>
public sealed record MethodOutcome(CompressionResult? Result, string? Error, TimeSpan Elapsed)
{
    public bool Succeeded => Result is not null;
}

/// <summary>
/// Runs a compression method so that its failures stay its own: an invalid configuration, an
/// exception, a run past the time limit or a result that is not a valid model each end as a failed
/// <see cref="MethodOutcome"/> with the reason; nothing escapes to the caller but its own cancellation.
/// A method that ignores cancellation keeps its thread until it returns; hard isolation is the
/// worker processes' job.
/// </summary>
public static class MethodRunner
{
    public static async Task<MethodOutcome> RunAsync(CompressionMethod method, ModelArtifact model, string configJson,
        MethodContext context, TimeSpan timeLimit, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        MethodOutcome Fail(string why) => new(null, $"{method.Id}: {why}", clock.Elapsed);

        object config;
        try
        {
            config = method.ParseConfig(configJson);
        }
        catch (ConfigException e)
        {
            return Fail($"invalid configuration: {e.Message}");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeLimit);
        var run = Task.Run(() => method.RunAsync(model, config, context, limit.Token), CancellationToken.None);
        // Give a cooperative method a moment to notice the cancellation before giving up on it.
        var grace = Task.Delay(timeLimit + TimeSpan.FromSeconds(2), CancellationToken.None);
        if (await Task.WhenAny(run, grace).ConfigureAwait(false) != run)
        {
            cancel.ThrowIfCancellationRequested();
            return Fail($"exceeded its time limit of {timeLimit.TotalSeconds:F1} s");
        }
        CompressionResult result;
        try
        {
            result = await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return Fail($"exceeded its time limit of {timeLimit.TotalSeconds:F1} s");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A plugin may throw anything; its failure is recorded, the host carries on.
            return Fail($"threw {e.GetType().Name}: {e.Message}");
        }
        var problem = Check(result);
        return problem is null ? new MethodOutcome(result, null, clock.Elapsed) : Fail($"returned an invalid model: {problem}");
    }

    private static string? Check(CompressionResult? result)
    {
        if (result?.Model is null) return "no model";
        try
        {
            ModelGraph.Build(result.Model.Description);
        }
        catch (ModelValidationException e)
        {
            return e.Message;
        }
        return CheckWeights(result.Model.WeightsPath);
    }

    // The weights must be a readable safetensors file (its header; the tensors are checked when loaded).
    private static string? CheckWeights(string path)
    {
        if (!File.Exists(path)) return $"weights file {path} does not exist";
        using var f = File.OpenRead(path);
        Span<byte> len = stackalloc byte[8];
        if (f.Read(len) != 8) return $"{path} is too short for safetensors";
        var n = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (n > (ulong)(f.Length - 8)) return $"{path}: header length {n} exceeds the file";
        var header = new byte[n];
        f.ReadExactly(header);
        try
        {
            using var doc = JsonDocument.Parse(header);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? null : $"{path}: header is not a JSON object";
        }
        catch (JsonException e)
        {
            return $"{path}: header is not JSON: {e.Message}";
        }
    }
}
