using System.Text.Json.Nodes;
using AutoCompress.Torch;

namespace AutoCompress.Search.Agents.Tests;

public class LeakTests
{
    [Fact]
    public void Every_tensor_is_freed_when_the_strategies_are_disposed()
    {
        var baseline = TorchEngine.LiveTensors;
        long index = 0;
        var first = Runs.Create(Runs.SmallOptions(), 4);
        var afterCreate = TorchEngine.LiveTensors;
        Assert.True(afterCreate > baseline, "the networks' parameters are live tensors");
        Runs.Play(first, ref index, 8, batch: 2);
        Assert.True(first.Agent.Updates > 0);
        Assert.Equal(afterCreate, TorchEngine.LiveTensors); // acting and training leave nothing behind
        var state = JsonNode.Parse(first.SaveState().ToJsonString())!.AsObject();
        var second = Runs.Create(Runs.SmallOptions(), 4);
        second.RestoreState(state);
        Runs.Play(second, ref index, 4, batch: 4);
        first.Dispose();
        second.Dispose();
        first.Dispose(); // twice is harmless
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }
}
