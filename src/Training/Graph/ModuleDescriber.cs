using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;

namespace AutoCompress.Training.Graph;

/// <summary>
/// Extracts a description plus weights from a built chain model (a tree of <see cref="Sequential"/>
/// containers and layer modules run in order, such as <see cref="ReferenceCnn"/>), so that a
/// transform written against descriptions applies to it. Layer ids are module paths with '_' for '.'.
/// </summary>
public static class ModuleDescriber
{
    /// <summary>The description and the weights keyed as a <see cref="GraphModel"/> of it names them (tensors shared, not copied).</summary>
    public static (ModelDescription Description, Dictionary<string, Tensor> Weights) Describe(Module model, IReadOnlyList<int> inputShape, string name = "model")
    {
        var layers = new List<Layer>();
        var weights = new Dictionary<string, Tensor>();
        foreach (var (path, module) in model.NamedModules())
        {
            if (module.Children.Count > 0 || module is Sequential) continue;
            var id = path.Replace('.', '_');
            layers.Add(Describe(id, module));
            foreach (var (n, t) in module.StateDict()) weights[$"{id}.{n}"] = t;
        }
        if (layers.Count == 0) throw new ArgumentException($"{model.GetType().Name} has no layer modules to describe");
        return (new ModelDescription { Name = name, InputShape = inputShape.ToList(), Layers = layers }, weights);
    }

    private static Layer Describe(string id, Module m) => m switch
    {
        Conv2d c => new Conv2dLayer
        {
            Id = id, OutChannels = (int)c.OutChannels, Kernel = (int)c.KernelSize, Stride = (int)c.Stride, Padding = (int)c.Padding,
            Dilation = (int)c.Dilation, Groups = (int)c.Groups, Bias = c.Bias is not null,
        },
        Linear l => new LinearLayer { Id = id, OutFeatures = (int)l.OutFeatures, Bias = l.Bias is not null },
        BatchNorm2d b => new BatchNormLayer { Id = id, Eps = b.Eps, Momentum = b.Momentum, Affine = b.Weight is not null },
        Activation a => new ActivationLayer { Id = id, Function = Enum.Parse<ActivationFunction>(a.Kind, ignoreCase: true) },
        Pool2d p => new PoolLayer
        {
            Id = id, Kind = p.IsMax ? PoolKind.Max : PoolKind.Avg, Kernel = (int)p.KernelSize, Stride = (int)p.Stride,
            Padding = (int)p.Padding, CountIncludePad = p.CountIncludePad,
        },
        AdaptiveAvgPool2d ap => new AdaptiveAvgPoolLayer { Id = id, OutputSize = (int)ap.OutputSize },
        Dropout d => new DropoutLayer { Id = id, P = d.P },
        Flatten => new FlattenLayer { Id = id },
        _ => throw new NotSupportedException($"module '{id}' ({m.GetType().Name}) has no description"),
    };
}
