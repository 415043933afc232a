using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;

namespace AutoCompress.Training.Graph;

/// <summary>Moves models between their artifact form (description + safetensors) and realised models.</summary>
public static class ModelArtifacts
{
    /// <summary>
    /// Realises <paramref name="artifact"/> and loads its weights; names or shapes that do not match fail naming them.
    /// Activation ranges are the exception (<see cref="GraphModel.LoadWeights"/>): a float model's weights load
    /// into a quantized description, its quantizers then waiting for calibration.
    /// </summary>
    public static GraphModel Load(ModelArtifact artifact)
    {
        var model = new GraphModel(artifact.Description);
        try
        {
            using var scope = TorchEngine.NewDisposeScope();
            model.LoadWeights(SafeTensors.Load(artifact.WeightsPath));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="model"/>'s weights to <paramref name="weightsPath"/> and returns the artifact.</summary>
    public static ModelArtifact Save(GraphModel model, string weightsPath, ModelDescription? description = null)
    {
        SafeTensors.Save(weightsPath, model.StateDict());
        return new ModelArtifact(description ?? model.Describe(), Path.GetFullPath(weightsPath));
    }
}
