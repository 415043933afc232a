using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.ThrowingCostModel;

/// <summary>A plugin whose constructor fails.</summary>
public sealed class ExplodingCostModel : CostModel
{
    public ExplodingCostModel() => throw new InvalidOperationException("the device file is missing");

    public override string Id => "test-throwing";
    public override IReadOnlyList<string> Metrics { get; } = ["nothing"];

    protected override CostReport Compute(ModelGraph model, CostContext context) => throw new NotSupportedException();
}
