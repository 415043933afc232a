using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Methods;

namespace MyMethod;

/// <summary>
/// An example method: clips outlying weights of every conv and linear layer to ±k standard
/// deviations (which narrows their range before quantization) and measures the result.
/// Replace the body of RunAsync with your own transform.
/// </summary>
public sealed class ClipWeightsMethod : CompressionMethod<ClipWeightsConfig>
{
    public override string Id => "my-method-id";

    protected override Task<CompressionResult> RunAsync(ModelArtifact model, ClipWeightsConfig config, MethodContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        var data = DatasetLoader.Load(context.Dataset, context.Seed);
        using var net = ModelArtifacts.Load(model);   // the description realised, with its weights
        var clipped = 0L;
        using (TorchEngine.NoGrad())
        {
            foreach (var layer in net.Graph.Order.Where(n => n.Layer is Conv2dLayer or LinearLayer))
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = TorchEngine.NewDisposeScope();
                var w = net.NamedParameters().First(p => p.Name == $"{layer.Id}.weight").Tensor;
                var bound = config.K * w.Std().Item();
                clipped += w.Abs().Gt(bound).Sum().ItemLong();
                w.ClampMinInPlace(-bound).ClampMaxInPlace(bound);
            }
        }
        var metrics = MethodKit.Measure(net, data);   // test/validation accuracy, MACs, parameters
        metrics["clipped_weights"] = clipped;
        Directory.CreateDirectory(context.WorkDirectory);
        var result = ModelArtifacts.Save(net, Path.Combine(context.WorkDirectory, "clipped.safetensors"), model.Description);
        return Task.FromResult(new CompressionResult(result, metrics));
    }
}
