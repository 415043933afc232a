using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// The model a pipeline starts from, as the artifact method plugins take: a given description and
/// weights as they are, or the reference CNN's PyTorch-named state dict described as a graph (layer ids
/// are module paths with '_' for '.', e.g. features_0), as `autocompress compress` does it.
/// </summary>
public static class InputModel
{
    /// <summary>File name of a converted reference CNN's weights inside <c>directory</c>.</summary>
    public const string ReferenceWeightsFile = "input.safetensors";

    /// <summary>The artifact for <paramref name="config"/>'s weights or model; conversions are written into <paramref name="directory"/>.</summary>
    public static ModelArtifact Load(CompressConfig config, string directory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Model is { } model) return Described(model);
        return Reference(config.Weights ?? throw new ConfigException("compress: neither 'weights' nor 'model' is given"), directory);
    }

    private static ModelArtifact Described(ModelPaths paths)
    {
        try
        {
            var description = ModelDescription.FromJson(File.ReadAllText(paths.Description));
            ModelGraph.Build(description);
            return new ModelArtifact(description, paths.Weights);
        }
        catch (ModelValidationException e)
        {
            throw new ConfigException($"compress: 'model.description': {paths.Description}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rebuilds the reference CNN whose shapes the state dict has (input channels, width, hidden units, classes),
    /// loads it, and saves it graph-named. Images are 28×28 (the network's classifier is sized for that).
    /// </summary>
    public static ModelArtifact Reference(string weightsPath, string directory)
    {
        ArgumentNullException.ThrowIfNull(weightsPath);
        long[] conv, hidden, output;
        using (TorchEngine.NewDisposeScope())
        {
            Dictionary<string, Tensor> state;
            try
            {
                state = SafeTensors.Load(weightsPath);
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"compress: 'weights': {e.Message}", e);
            }
            long[] Shape(string name, int rank) =>
                state.TryGetValue(name, out var t) && t.Shape.Length == rank ? t.Shape
                : throw new ArgumentException(
                    $"compress: 'weights': {weightsPath} is not a reference-CNN state dict as `autocompress train-reference` writes it: it has no {rank}-d tensor '{name}'");
            conv = Shape("features.0.weight", 4);
            hidden = Shape("classifier.1.weight", 2);
            output = Shape("classifier.4.weight", 2);
        }
        var width = (int)conv[0];
        using var net = new ReferenceCnn(inChannels: (int)conv[1], numClasses: (int)output[0], width: width, hidden: (int)hidden[0]);
        try
        {
            using var scope = TorchEngine.NewDisposeScope();
            net.LoadStateDict(SafeTensors.Load(weightsPath));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"compress: 'weights': {weightsPath} does not fit a reference CNN of width {width}: {e.Message}", e);
        }
        Directory.CreateDirectory(directory);
        var (description, tensors) = ModuleDescriber.Describe(net, [(int)conv[1], 28, 28], $"reference-cnn-w{width}");
        var path = Path.Combine(directory, ReferenceWeightsFile);
        SafeTensors.Save(path, tensors.Select(kv => (kv.Key, kv.Value)));
        return new ModelArtifact(description, Path.GetFullPath(path));
    }
}
