using System.Security.Cryptography;
using System.Text.Json;

namespace AutoCompress.Cli.Remote;

/// <summary>
/// `autocompress remote export`: downloads the files a trial produced (its model's description and safetensors
/// weights, and whatever else its evaluator kept) into a folder, checks each against the size and SHA-256 the server
/// recorded, and writes trial.json beside them (experiment, configuration, metrics, files) so the folder says what
/// model it holds. Files are written as NAME.part and renamed once verified: a broken download never looks complete.
/// </summary>
internal static class RemoteExport
{
    public const string ManifestName = "trial.json";

    public static async Task<int> RunAsync(RemoteClient client, Guid id, long? seq, string? output, CancellationToken ct)
    {
        var experiment = await client.GetExperimentAsync(id, ct).ConfigureAwait(false);
        var name = experiment.Progress.Name;
        var chosen = seq ?? experiment.Progress.BestTrialSeq
            ?? throw new RemoteException($"experiment {name} has no best trial yet (no trial has completed); name one: autocompress remote export {id} SEQ");
        var detail = await client.TrialAsync(id, chosen, ct).ConfigureAwait(false);
        if (detail.Artifacts.Count == 0)
            throw new RemoteException($"trial {chosen} of {name} ({detail.Trial.Status}) has no files to export: its evaluator kept no model for it");
        var folder = Path.GetFullPath(output ?? $"{SafeName(name)}-trial-{chosen}");
        Directory.CreateDirectory(folder);
        var used = new HashSet<string>(StringComparer.Ordinal) { ManifestName };
        var files = new List<object>();
        foreach (var a in detail.Artifacts)
        {
            // Only the file name: a server must not be able to write outside the folder.
            var file = Path.GetFileName(a.Name) is { Length: > 0 } n ? n : $"artifact-{a.Index}";
            if (!used.Add(file)) used.Add(file = $"{a.Index}-{file}");
            await DownloadAsync(client, a, Path.Combine(folder, file), ct).ConfigureAwait(false);
            files.Add(new { name = file, kind = a.Kind, bytes = a.Bytes, sha256 = a.Sha256 });
            Console.WriteLine($"  {file}  ({a.Kind}, {a.Bytes:N0} bytes, sha256 verified)");
        }
        var t = detail.Trial;
        var manifest = new
        {
            experiment_id = id, experiment = name, seq = t.Seq, trial_id = t.TrialId, status = t.Status, config = t.Config,
            fidelity = t.Fidelity, metrics = t.Metrics, files, server = client.Server.ToString(), exported_at = DateTimeOffset.UtcNow,
        };
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestName), JsonSerializer.Serialize(manifest, RemoteClient.Json) + "\n", ct).ConfigureAwait(false);
        Console.WriteLine($"exported trial {chosen} of {name} ({detail.Artifacts.Count} file(s), {RemoteFormat.Metrics(t.Metrics)}) to {folder}");
        return 0;
    }

    private static async Task DownloadAsync(RemoteClient client, ArtifactView artifact, string path, CancellationToken ct)
    {
        var part = path + ".part";
        long bytes = 0;
        string hash;
        using (var response = await client.OpenAsync(artifact.Url.TrimStart('/'), ct).ConfigureAwait(false))
        {
            var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using var target = File.Create(part);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    bytes += read;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new RemoteException($"lost the connection to {client.Server} while downloading {artifact.Name}: {e.Message}", e);
            }
            hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        if (bytes != artifact.Bytes || !string.Equals(hash, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new RemoteException($"{artifact.Name} arrived as {bytes} bytes with SHA-256 {hash}, but the server recorded {artifact.Bytes} bytes " +
                                      $"with {artifact.Sha256}: the file changed on the server or the download broke; nothing was kept");
        }
        File.Move(part, path, overwrite: true);
    }

    private static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string([.. name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '-' : c)]);
        return safe.Length == 0 ? "experiment" : safe;
    }
}
