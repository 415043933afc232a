namespace AutoCompress.Storage.Internal;

/// <summary>
/// One queued write. <see cref="Execute"/> runs inside the writer's open transaction and only computes a result;
/// the caller's task is completed by <see cref="Publish"/> after the transaction commits, so an acknowledged write
/// is a committed write.
/// </summary>
internal abstract class WriteOperation(CancellationToken cancellation)
{
    public CancellationToken Cancellation { get; } = cancellation;

    public abstract void Execute(WriterSession session);

    public abstract void Publish();

    public abstract void Fail(Exception error);

    public abstract void Cancel();
}

/// <summary>A write whose body returns <typeparamref name="T"/>.</summary>
internal sealed class WriteOperation<T>(Func<WriterSession, T> body, CancellationToken cancellation) : WriteOperation(cancellation)
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? result;

    public Task<T> Task => completion.Task;

    public override void Execute(WriterSession session) => result = body(session);

    public override void Publish() => completion.TrySetResult(result!);

    public override void Fail(Exception error) => completion.TrySetException(error);

    public override void Cancel() => completion.TrySetCanceled(Cancellation);
}
