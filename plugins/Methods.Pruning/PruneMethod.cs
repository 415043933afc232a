using System.Globalization;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// The "prune" method. Structured mode ranks filters (L1, L2, FPGM or first-order Taylor), removes the
/// lowest of each dependency group for real – optionally after soft filter pruning during fine-tuning,
/// optionally at the smallest uniform ratio that meets a MAC budget – and fine-tunes the smaller dense
/// network. Unstructured mode zeroes the smallest weights per layer or globally and fine-tunes with the
/// masks re-applied after every step, annotating each layer's measured sparsity. The pieces
/// (<see cref="ChannelDependencies"/>, <see cref="ChannelSurgery"/>, <see cref="FilterImportance"/>,
/// <see cref="TaylorImportance"/>, <see cref="MacBudget"/>, <see cref="SoftFilterPruner"/>,
/// <see cref="WeightMasks"/>) are public for callers that prune from C#.
/// </summary>
public sealed class PruneMethod : CompressionMethod<PruneConfig>
{
    /// <summary>File name of the result's weights inside the work directory.</summary>
    public const string WeightsFile = "pruned.safetensors";

    public override string Id => "prune";

    /// <summary>Parses, then checks what the schema cannot: per-layer ratio values and combinations of options.</summary>
    public override object ParseConfig(string json)
    {
        var config = (PruneConfig)base.ParseConfig(json);
        Check(config);
        return config;
    }

    /// <summary>The model-independent checks, each failing with a <see cref="ConfigException"/> naming the parameters.</summary>
    public static void Check(PruneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (id, r) in config.LayerRatios ?? throw new ConfigException("prune: layer_ratios must not be null"))
            PruningRatios.CheckRatio(id, r);
        if (config.TargetMacReduction is not null && config.TargetMacs is not null)
            throw new ConfigException("prune: give either target_mac_reduction or target_macs, not both");
        if (config.Mode == PruneMode.Unstructured)
        {
            if (config.TargetMacReduction is not null || config.TargetMacs is not null)
                throw new ConfigException("prune: target_mac_reduction and target_macs need mode 'structured' (zeroed weights do not lower dense MACs)");
            if (config.Soft) throw new ConfigException("prune: soft filter pruning needs mode 'structured'");
            if (config.Scope == PruneScope.Global && config.LayerRatios.Count > 0)
                throw new ConfigException("prune: layer_ratios cannot be combined with scope 'global' (one threshold for all layers)");
        }
        else if (config.Scope == PruneScope.Global)
        {
            throw new ConfigException("prune: scope 'global' applies to mode 'unstructured'; structured pruning uses ratio/layer_ratios or a MAC target");
        }
    }

    protected override Task<CompressionResult> RunAsync(ModelArtifact model, PruneConfig config, MethodContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        Check(config);
        Schema.Validate(config, Id);
        return Task.Run(() => Run(model, config, context, cancel), cancel);
    }

    private CompressionResult Run(ModelArtifact artifact, PruneConfig config, MethodContext context, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        Directory.CreateDirectory(context.WorkDirectory);
        if (context.Budget.Threads > 0) TorchEngine.Threads = context.Budget.Threads;
        TorchEngine.ManualSeed((ulong)context.Seed);

        using var original = ModelArtifacts.Load(artifact);
        var description = original.Describe();
        var deps = ChannelDependencies.Analyze(description);
        // Model-dependent configuration errors surface before any data is loaded.
        if (config.Mode == PruneMode.Structured) PruningRatios.Overrides(deps, config.LayerRatios);
        else UnstructuredRatios(deps, config);

        var splits = DatasetLoader.Load(context.Dataset, context.Seed);
        if (!description.InputShape.SequenceEqual([splits.Channels, splits.Size, splits.Size]))
            throw new ArgumentException(
                $"the model takes inputs [{string.Join(", ", description.InputShape)}] but {context.Dataset.Name} has {splits.Channels}x{splits.Size}x{splits.Size} images");

        var metrics = new Dictionary<string, double>
        {
            ["macs_before"] = MacBudget.Measure(original),
            ["parameters_before"] = original.ParameterCount(),
            ["validation_accuracy_before"] = Evaluate(original, splits.Validation, splits),
        };
        var run = new RunState(config, context, splits, deps, metrics, config.FineTuneEpochs ?? context.Budget.Epochs, cancel);
        context.Log?.Report(string.Create(CultureInfo.InvariantCulture,
            $"prune: {config.Mode} on {description.Name}: {metrics["macs_before"]:N0} MACs, {metrics["parameters_before"]:N0} parameters, validation accuracy {metrics["validation_accuracy_before"]:P2}"));
        return config.Mode == PruneMode.Unstructured ? Unstructured(original, run) : Structured(original, run);
    }

    /// <summary>What every stage of one run needs.</summary>
    private sealed record RunState(PruneConfig Config, MethodContext Context, DatasetSplits Splits, ChannelDependencies Deps,
        Dictionary<string, double> Metrics, double Epochs, CancellationToken Cancel);

    private static Dictionary<string, double> UnstructuredRatios(ChannelDependencies deps, PruneConfig config)
    {
        var outputs = deps.OutputLayers.ToHashSet();
        var eligible = deps.Graph.Order
            .Where(n => n.Layer is Conv2dLayer or LinearLayer && !outputs.Contains(n.Id)).Select(n => n.Id).ToList();
        foreach (var id in config.LayerRatios.Keys)
        {
            if (eligible.Contains(id)) continue;
            string why;
            try
            {
                why = deps.Graph[id].Layer is Conv2dLayer or LinearLayer
                    ? $"layer '{id}' produces the model output; the final layer is never pruned"
                    : $"layer '{id}' is a {ChannelDependencies.OpName(deps.Graph[id].Layer)} layer; only conv2d and linear weights are pruned";
            }
            catch (KeyNotFoundException)
            {
                why = $"'{id}' is not a layer of the model; prunable layers: {string.Join(", ", eligible)}";
            }
            throw new ConfigException($"prune: layer_ratios: {why}");
        }
        return eligible.ToDictionary(id => id, id => config.LayerRatios.TryGetValue(id, out var r) ? r : config.Ratio);
    }

    private CompressionResult Unstructured(GraphModel model, RunState run)
    {
        var (config, splits) = (run.Config, run.Splits);
        var ratios = UnstructuredRatios(run.Deps, config);
        if (ratios.Count == 0) throw new NotSupportedException("the model has no conv2d or linear layer besides its final one to prune");
        using var masks = config.Scope == PruneScope.Global
            ? WeightMasks.Global(model, ratios.Keys.ToList(), config.Ratio)
            : WeightMasks.PerLayer(model, ratios);
        masks.Apply();
        run.Metrics["validation_accuracy_before_finetune"] = Evaluate(model, splits.Validation, splits);
        FineTune(model, run, run.Epochs, new TrainingHooks(AfterStep: _ => masks.Apply()), "fine-tune");

        var sparsity = masks.LayerSparsity();
        var description = model.Describe();
        description = description with
        {
            Layers = description.Layers.Select(l => sparsity.TryGetValue(l.Id, out var s) && (s > 0 || l.Compression is not null)
                ? l with { Compression = (l.Compression ?? new Compression()) with { Sparsity = Math.Min(s, 1 - 1e-9) } }
                : l).ToList(),
        };
        run.Metrics["sparsity"] = masks.Sparsity();
        using (TorchEngine.NewDisposeScope())
            run.Metrics["nonzero_parameters"] = model.NamedParameters().Sum(p => p.Tensor.CountNonZero().ItemLong());
        return Finish(model, description, run);
    }

    private CompressionResult Structured(GraphModel model, RunState run)
    {
        var (config, splits, deps, cancel) = (run.Config, run.Splits, run.Deps, run.Cancel);
        if (deps.PrunableLayers.Count == 0)
            throw new NotSupportedException($"the model has no prunable channels: {string.Join("; ", deps.Groups.Select(g => g.ToString()))}");

        Dictionary<int, double> groupRatios;
        if (config.TargetMacReduction is not null || config.TargetMacs is not null)
        {
            var target = config.TargetMacs ?? (long)Math.Floor(run.Metrics["macs_before"] * (1 - config.TargetMacReduction!.Value));
            var solution = MacBudget.FindUniformRatio(deps, target, PruningRatios.Overrides(deps, config.LayerRatios), cancel);
            groupRatios = solution.GroupRatios.ToDictionary(kv => kv.Key, kv => kv.Value);
            run.Metrics["pruning_ratio"] = solution.Ratio;
            run.Metrics["target_macs"] = target;
            run.Context.Log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"prune: uniform ratio {solution.Ratio:F4} meets {target:N0} MACs ({solution.Macs:N0})"));
        }
        else
        {
            groupRatios = PruningRatios.ForGroups(deps, config.Ratio, config.LayerRatios);
            run.Metrics["pruning_ratio"] = config.Ratio;
        }
        var remove = PruningRatios.RemoveCounts(deps, groupRatios);

        var epochsAfter = run.Epochs;
        if (config.Soft)
        {
            epochsAfter = run.Epochs * config.SoftFinetuneFraction;
            var schedule = FineTuning.Schedule(splits.Train, run.Epochs - epochsAfter, run.Context.Budget.BatchSize, run.Context.Seed);
            if (schedule is not null)
            {
                var soft = new SoftFilterPruner(model, deps, groupRatios, config.Criterion, schedule.Steps,
                    new SoftPruningOptions(config.SoftInterval, config.SoftDecay, config.SoftScheduleK));
                FineTuning.Run(model, schedule, splits, run.Context.Budget, run.Context.Seed, new TrainingHooks(AfterStep: soft.AfterStep),
                    run.Context.Log, "soft pruning", cancel);
                run.Metrics["soft_updates"] = soft.Updates;
                run.Metrics["validation_accuracy_after_soft"] = Evaluate(model, splits.Validation, splits);
            }
        }

        var importance = config.Criterion == ImportanceCriterion.Taylor
            ? TaylorImportance.Measure(model, deps, splits.Train, splits.Normalization, config.TaylorBatches, run.Context.Budget.BatchSize, run.Context.Seed, cancel)
            : FilterImportance.ForGroups(model, deps, config.Criterion);
        var plan = ChannelPlan.FromImportance(deps, importance, remove);
        using var pruned = ChannelSurgery.Apply(model, plan);
        run.Metrics["channels_removed"] = plan.RemovedChannels;
        run.Metrics["prunable_channels"] = deps.Groups.Where(g => g.Prunable).Sum(g => g.Channels);
        run.Metrics["validation_accuracy_before_finetune"] = Evaluate(pruned, splits.Validation, splits);
        run.Context.Log?.Report(string.Create(CultureInfo.InvariantCulture,
            $"prune: removed {plan.RemovedChannels} channels; validation accuracy before fine-tuning {run.Metrics["validation_accuracy_before_finetune"]:P2}"));

        FineTune(pruned, run, epochsAfter, null, "fine-tune");
        return Finish(pruned, RefreshSparsity(pruned.Describe(), pruned), run);
    }

    /// <summary>Layers annotated as sparse get their measured zero fraction back (surgery and training change it).</summary>
    private static ModelDescription RefreshSparsity(ModelDescription description, GraphModel model)
    {
        var weights = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        return description with
        {
            Layers = description.Layers.Select(l => l.Compression is { Sparsity: > 0 } c && weights.TryGetValue($"{l.Id}.weight", out var w)
                ? l with { Compression = c with { Sparsity = Math.Min(WeightMasks.ZeroFraction(w), 1 - 1e-9) } }
                : l).ToList(),
        };
    }

    private static void FineTune(GraphModel model, RunState run, double epochs, TrainingHooks? hooks, string label)
    {
        var schedule = FineTuning.Schedule(run.Splits.Train, epochs, run.Context.Budget.BatchSize, run.Context.Seed);
        if (schedule is null) return;
        FineTuning.Run(model, schedule, run.Splits, run.Context.Budget, run.Context.Seed, hooks, run.Context.Log, label, run.Cancel);
    }

    private static double Evaluate(GraphModel model, AutoCompress.Data.DataSubset data, DatasetSplits splits) =>
        Trainer.Evaluate(model, data, splits.Normalization).Accuracy;

    private CompressionResult Finish(GraphModel model, ModelDescription description, RunState run)
    {
        run.Cancel.ThrowIfCancellationRequested();
        var m = run.Metrics;
        m["validation_accuracy"] = Evaluate(model, run.Splits.Validation, run.Splits);
        m["test_accuracy"] = Evaluate(model, run.Splits.Test, run.Splits);
        m["macs"] = MacBudget.Measure(model);
        m["parameters"] = model.ParameterCount();
        m["mac_reduction"] = 1 - m["macs"] / m["macs_before"];
        var artifact = ModelArtifacts.Save(model, Path.Combine(run.Context.WorkDirectory, WeightsFile), description);
        run.Context.Log?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{Id}: test accuracy {m["test_accuracy"]:P2}, {m["macs"]:N0} MACs ({m["mac_reduction"]:P1} fewer), {m["parameters"]:N0} parameters"));
        return new CompressionResult(artifact, m);
    }
}
