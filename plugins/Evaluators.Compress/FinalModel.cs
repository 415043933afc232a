using AutoCompress.Contracts.Methods;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// Writes the pipeline's result where the trial's artifacts belong, under fixed names at the top of the work
/// directory, so that the intermediate steps can be removed and a user finds every trial's model the same way:
/// "model.json" (the description), "model.safetensors" (graph-named weights; for a quantized model the latent
/// float weights and activation ranges, which realise the quantized model) and, when the last quantization
/// wrote one, "model.packed.safetensors" (the bit-packed storage, named by the description's metadata).
/// </summary>
public static class FinalModel
{
    public const string DescriptionFile = "model.json";
    public const string WeightsFile = "model.safetensors";
    public const string PackedFile = "model.packed.safetensors";

    /// <summary>The description metadata key under which the quantize plugin names its packed file, relative to the weights' folder.</summary>
    public const string PackedMetadataKey = "packed_weights";

    /// <summary>Copies <paramref name="model"/> into <paramref name="workDirectory"/>; returns the saved artifact, the description JSON and the files written.</summary>
    public static (ModelArtifact Model, string DescriptionJson, IReadOnlyList<string> Files) Save(ModelArtifact model, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(workDirectory);
        var files = new List<string>();
        var weights = Path.GetFullPath(Path.Combine(workDirectory, WeightsFile));
        File.Copy(model.WeightsPath, weights, overwrite: true);
        files.Add(weights);

        var description = model.Description;
        if (description.Metadata.TryGetValue(PackedMetadataKey, out var packedName))
        {
            var source = Path.Combine(Path.GetDirectoryName(model.WeightsPath)!, packedName);
            var metadata = new Dictionary<string, string>(description.Metadata);
            if (File.Exists(source))
            {
                var packed = Path.GetFullPath(Path.Combine(workDirectory, PackedFile));
                File.Copy(source, packed, overwrite: true);
                files.Add(packed);
                metadata[PackedMetadataKey] = PackedFile;
            }
            else
            {
                // A later step (distillation, pruning) changed the weights; the packed file is stale and not carried over.
                metadata.Remove(PackedMetadataKey);
            }
            description = description with { Metadata = metadata };
        }

        var json = description.ToJson();
        var path = Path.GetFullPath(Path.Combine(workDirectory, DescriptionFile));
        File.WriteAllText(path, json);
        files.Insert(0, path);
        return (new ModelArtifact(description, weights), json, files);
    }
}
