namespace AutoCompress.Torch;

/// <summary>
/// Owns every tensor created while it is the current scope and frees them, deterministically,
/// when disposed. The current scope flows with <see cref="AsyncLocal{T}"/>, so it follows an
/// async method across <c>await</c> and thread hops. Scopes nest; a tensor that must outlive its
/// scope is moved to the enclosing one (<see cref="MoveToOuter"/>) or detached from scopes
/// altogether (<see cref="Detach"/>), after which its owner disposes it.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    private static readonly AsyncLocal<DisposeScope?> current = new();
    private readonly DisposeScope? outer;
    private readonly List<Tensor> owned = new();
    private readonly Lock gate = new();
    private bool disposed;

    internal DisposeScope()
    {
        outer = current.Value;
        current.Value = this;
    }

    /// <summary>The innermost live scope of this async flow, or null.</summary>
    public static DisposeScope? Current => current.Value;

    /// <summary>Number of tensors this scope will free.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                var n = 0;
                foreach (var t in owned)
                    if (ReferenceEquals(t.Scope, this) && !t.IsDisposed) n++;
                return n;
            }
        }
    }

    internal void Add(Tensor t)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            owned.Add(t);
        }
        t.Scope = this;
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to no scope when this is outermost).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        tensor.Scope = null;
        outer?.Add(tensor);
        return tensor;
    }

    /// <summary>Removes <paramref name="tensor"/> from scope management: the caller now disposes it.</summary>
    public static Tensor Detach(Tensor tensor)
    {
        tensor.Scope = null;
        return tensor;
    }

    /// <summary>Frees every tensor still owned by this scope and restores the enclosing scope.</summary>
    public void Dispose()
    {
        List<Tensor> toFree;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            toFree = owned;
        }
        foreach (var t in toFree)
            if (ReferenceEquals(t.Scope, this)) t.Dispose();
        toFree.Clear();
        // Restore only if this scope is still current in this flow (scopes are disposed innermost first).
        if (ReferenceEquals(current.Value, this)) current.Value = outer;
    }
}
