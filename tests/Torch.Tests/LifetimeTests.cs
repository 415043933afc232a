namespace AutoCompress.Torch.Tests;

public sealed class LifetimeTests
{
    [Fact]
    public void A_scope_frees_everything_created_inside_it()
    {
        var baseline = TorchEngine.LiveTensors;
        using (TorchEngine.NewDisposeScope())
        {
            var a = Tensor.Ones([10]);
            var b = (a * 2 + 1).Relu().Sum();
            Assert.True(TorchEngine.LiveTensors >= baseline + 5);
        }
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }

    [Fact]
    public void Moved_and_detached_tensors_survive_their_scope()
    {
        var baseline = TorchEngine.LiveTensors;
        Tensor kept, detached;
        using (var outer = TorchEngine.NewDisposeScope())
        {
            using (var inner = TorchEngine.NewDisposeScope())
            {
                kept = Tensor.Ones([2]).MoveToOuterScope();
                detached = Tensor.Ones([3]).DetachFromScope();
                _ = Tensor.Ones([4]);
            }
            Assert.False(kept.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.True(kept.IsDisposed);
        Assert.False(detached.IsDisposed);
        detached.Dispose();
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }

    [Fact]
    public async Task The_scope_flows_across_await_and_thread_hops()
    {
        var baseline = TorchEngine.LiveTensors;
        var threads = new HashSet<int>();
        using (var scope = TorchEngine.NewDisposeScope())
        {
            for (var i = 0; i < 20; i++)
            {
                threads.Add(Environment.CurrentManagedThreadId);
                _ = Tensor.Ones([i + 1]);
                await Task.Run(() => Tensor.Zeros([1])); // created on a pool thread, same flow
                await Task.Yield();
            }
            Assert.Equal(40, scope.Count);
        }
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }

    [Fact]
    public void Peak_counter_tracks_the_high_water_mark()
    {
        TorchEngine.ResetPeakTensors();
        var start = TorchEngine.PeakTensors;
        using (TorchEngine.NewDisposeScope())
            for (var i = 0; i < 50; i++) _ = Tensor.Zeros([1]);
        Assert.True(TorchEngine.PeakTensors >= start + 50);
        Assert.True(TorchEngine.LiveTensors <= start);
    }

    [Fact]
    public void Reading_a_gradient_makes_a_handle_that_the_scope_frees()
    {
        using var w = Tensor.Ones([3]).DetachFromScope().RequiresGradInPlace();
        var baseline = TorchEngine.LiveTensors;
        using (TorchEngine.NewDisposeScope())
        {
            (w * 2).Sum().Backward();
            Assert.Equal(new float[] { 2, 2, 2 }, w.Grad!.ToArray<float>());
        }
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }
}
