namespace AutoCompress.Actors.Tests;

/// <summary>
/// Holds an actor inside a handler until the test opens it: <see cref="Entered"/> completes when the actor is inside,
/// so the test knows its mailbox is being left alone (the basis of every backpressure and priority test).
/// </summary>
internal sealed class Gate
{
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => entered.Task;

    /// <summary>
    /// Waits until the test opens the gate. A test that fails before opening it must not leave the actor (and the
    /// system's shutdown) hanging, so the wait gives up after <see cref="TestProbe.DefaultTimeout"/>.
    /// </summary>
    public async Task PassAsync()
    {
        entered.TrySetResult();
        await opened.Task.WaitAsync(TestProbe.DefaultTimeout);
    }

    public void Open() => opened.TrySetResult();
}

/// <summary>Asks the receiving test actor to wait at a gate.</summary>
internal sealed record Hold(Gate Gate);
