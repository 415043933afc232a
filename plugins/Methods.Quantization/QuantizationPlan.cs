using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;

namespace AutoCompress.Methods.Quantization;

/// <summary>
/// Turns a model description and a <see cref="QuantizeConfig"/> into the quantized description:
/// <list type="bullet">
/// <item>every conv2d and linear layer gets <c>weight_bits</c> (its <c>layer_bits</c> entry, else
/// <c>weight_bits</c>) with the configured granularity: first and last layers included, since the
/// packed size counts them and <c>layer_bits</c> can keep them wider;</item>
/// <item>every activation layer (ReLU, ...) gets <c>activation_bits</c>: those outputs feed the next
/// convolution or linear layer, so this is where integer inference would quantize. The model input
/// stays float (Fashion-MNIST pixels are 8-bit already, normalisation makes them float), and so does
/// the model's output (the classifier's logits), even when it is an activation layer;</item>
/// <item>any quantization annotation already present is replaced; kept channels and sparsity stay.</item>
/// </list>
/// </summary>
public static class QuantizationPlan
{
    /// <summary>The description with every quantization annotation removed: the float model it realises.</summary>
    public static ModelDescription Float(ModelDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description with { Layers = description.Layers.Select(l => l with { Compression = Strip(l.Compression) }).ToList() };
    }

    /// <summary>The quantized description; an invalid <c>layer_bits</c> or <c>activation_bits</c> fails with a <see cref="ConfigException"/>.</summary>
    public static ModelDescription Annotate(ModelDescription description, QuantizeConfig config, string methodId = "quantize")
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(config);
        Validate(description, config, methodId);
        var graph = ModelGraph.Build(description);
        var layers = new List<Layer>(description.Layers.Count);
        foreach (var layer in description.Layers)
        {
            var c = Strip(layer.Compression) ?? new Compression();
            switch (layer)
            {
                case Conv2dLayer or LinearLayer:
                    var group = config.Granularity == WeightGranularity.Group;
                    c = c with
                    {
                        WeightBits = config.LayerBits.TryGetValue(layer.Id, out var bits) ? bits : config.WeightBits,
                        WeightGranularity = config.Granularity,
                        WeightGroupSize = group ? config.GroupSize : null,
                    };
                    break;
                case ActivationLayer when layer.Id != graph.Output.Id && config.ActivationBits != QuantizeConfig.FloatBits:
                    c = c with { ActivationBits = config.ActivationBits };
                    break;
            }
            layers.Add(layer with { Compression = c == new Compression() ? null : c });
        }
        return description with { Layers = layers };
    }

    private static void Validate(ModelDescription description, QuantizeConfig config, string id)
    {
        if (config.ActivationBits is > 8 and < QuantizeConfig.FloatBits)
            throw new ConfigException($"{id}: activation_bits = {config.ActivationBits}: use 2..8, or {QuantizeConfig.FloatBits} to keep activations float");
        if (!Enum.IsDefined(config.Granularity))
            throw new ConfigException($"{id}: granularity = {(int)config.Granularity} is not one of per_channel, per_tensor, group");
        if (!Enum.IsDefined(config.Mode)) throw new ConfigException($"{id}: mode = {(int)config.Mode} is not one of ptq, qat");
        if (!Enum.IsDefined(config.Calibration))
            throw new ConfigException($"{id}: calibration = {(int)config.Calibration} is not one of min_max, percentile");
        var weighted = description.Layers.Where(l => l is Conv2dLayer or LinearLayer).Select(l => l.Id).ToList();
        if (weighted.Count == 0) throw new ArgumentException($"{id}: model '{description.Name}' has no conv2d or linear layer to quantize");
        foreach (var (layer, bits) in config.LayerBits ?? throw new ConfigException($"{id}: layer_bits is null"))
        {
            if (!weighted.Contains(layer))
                throw new ConfigException($"{id}: layer_bits names '{layer}', which is not a conv2d or linear layer of the model; those are: {string.Join(", ", weighted)}");
            if (bits is < 2 or > 8) throw new ConfigException($"{id}: layer_bits['{layer}'] = {bits} is outside [2, 8]");
        }
    }

    private static Compression? Strip(Compression? c)
    {
        if (c is null) return null;
        var stripped = c with { WeightBits = null, WeightGranularity = WeightGranularity.PerChannel, WeightGroupSize = null, ActivationBits = null };
        return stripped == new Compression() ? null : stripped;
    }
}
