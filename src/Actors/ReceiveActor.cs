using System.Runtime.CompilerServices;

namespace AutoCompress.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers registered in the constructor (or in <see cref="Become"/>), as
/// in Akka.NET's ReceiveActor: a message goes to the first handler whose type it is; none matching calls
/// <see cref="ActorBase.Unhandled"/>. An async handler (<see cref="ReceiveAsync{T}"/>) holds the mailbox until its task
/// completes, so the actor still processes one message at a time.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private Handler[] handlers = [];

    /// <summary>Handles messages of type <typeparamref name="T"/> synchronously.</summary>
    protected void Receive<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new SyncHandler<T>(handler, null));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> for which <paramref name="shouldHandle"/> is true.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new SyncHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> asynchronously; the next message waits for the task.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new AsyncHandler<T>(handler));
    }

    /// <summary>Handles any message not taken by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Replaces all handlers by the ones <paramref name="configure"/> registers (a state change).</summary>
    protected void Become(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        handlers = [];
        configure();
    }

    internal sealed override Task? Dispatch(object message)
    {
        foreach (var handler in handlers)
        {
            if (handler.TryHandle(message, out var task))
                return task;
        }
        InvokeUnhandled(message);
        return null;
    }

    private void Add(Handler handler) => handlers = [.. handlers, handler];

    private abstract class Handler
    {
        public abstract bool TryHandle(object message, out Task? task);
    }

    // A message whose class is exactly T (the common case: sealed records) is matched by comparing its type with a
    // cached one, which is cheaper than a generic "is T" in shared generic code; anything else (subclasses, interfaces,
    // boxed values) falls back to "is T".
    private sealed class SyncHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : Handler
    {
        private readonly Type exact = typeof(T);

        public override bool TryHandle(object message, out Task? task)
        {
            task = null;
            T typed;
            if (!typeof(T).IsValueType && message.GetType() == exact)
                typed = Unsafe.As<object, T>(ref message);
            else if (message is T matched)
                typed = matched;
            else
                return false;
            if (shouldHandle is not null && !shouldHandle(typed))
                return false;
            handler(typed);
            return true;
        }
    }

    private sealed class AsyncHandler<T>(Func<T, Task> handler) : Handler
    {
        private readonly Type exact = typeof(T);

        public override bool TryHandle(object message, out Task? task)
        {
            T typed;
            if (!typeof(T).IsValueType && message.GetType() == exact)
                typed = Unsafe.As<object, T>(ref message);
            else if (message is T matched)
                typed = matched;
            else
            {
                task = null;
                return false;
            }
            task = handler(typed);
            return true;
        }
    }
}
