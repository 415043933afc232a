using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.GoodCostModel;

/// <summary>Counts layers; its metric name comes from a private dependency.</summary>
public sealed class LayerCountCostModel : CostModel
{
    public override string Id => "test-good";
    public override IReadOnlyList<string> Metrics { get; } = [AutoCompress.Dependency.Greeting.Metric];

    protected override CostReport Compute(ModelGraph model, CostContext context) =>
        new(Id, new Dictionary<string, double> { [Metrics[0]] = model.Order.Count }, []);
}
