using System.Globalization;
using System.Text.RegularExpressions;

namespace AutoCompress.Actors;

/// <summary>
/// Children: creation, lookup, stopping. The table is guarded by a lock because the user guardian's children are created
/// from any thread (<see cref="ActorSystem.ActorOf"/>); a name stays taken until the child has finished stopping, so a
/// restarted parent can recreate children under the same names only after the old ones are gone.
/// </summary>
internal sealed partial class ActorCell
{
    private readonly Lock childrenGate = new();
    private readonly Dictionary<string, ChildEntry> children = new(StringComparer.Ordinal);
    private bool childrenClosed;
    private int stoppingChildren;
    private long generatedNames;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        name = name is null ? "$" + Interlocked.Increment(ref generatedNames).ToString(CultureInfo.InvariantCulture) : ValidateName(name);
        ActorCell child;
        lock (childrenGate)
        {
            if (childrenClosed)
            {
                throw new InvalidOperationException(Parent is null
                    ? $"Actor system {System.Name} is terminating; it cannot create the actor '{name}'."
                    : $"{Path} is stopping; it cannot create the child '{name}'.");
            }
            if (children.ContainsKey(name))
                throw new InvalidActorNameException($"Actor name '{name}' is not unique under {Path}: a live child already has it.");
            child = new ActorCell(System, this, props, Path.Child(name));
            children.Add(name, new ChildEntry(child.Self));
        }
        child.Start();
        return child.Self;
    }

    public IActorRef? Child(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (childrenGate)
            return children.TryGetValue(name, out var entry) ? entry.Ref : null;
    }

    public IReadOnlyList<IActorRef> GetChildren()
    {
        lock (childrenGate)
            return [.. children.Values.Select(e => e.Ref)];
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not LocalActorRef local)
            throw new ArgumentException($"{actor} is not an actor created by an ActorSystem, so it cannot be stopped.", nameof(actor));
        // Stopping oneself takes effect after the current message (the system message is handled between messages).
        if (!ReferenceEquals(local, Self))
            MarkStopping(local);
        local.Cell.SendSystem(SysTerminate.Instance);
    }

    private static string ValidateName(string name)
    {
        if (!ActorName().IsMatch(name))
        {
            throw new InvalidActorNameException(
                $"Invalid actor name '{name}': use letters, digits and -_.:@&=+,!~*';$ (not '/', '#', whitespace), and do not start with '$' (reserved for generated names).");
        }
        return name;
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-_.:@&=+,!~*';][A-Za-z0-9\-_.:@&=+,!~*';$]*$")]
    private static partial Regex ActorName();

    private void MarkStopping(LocalActorRef child)
    {
        lock (childrenGate)
        {
            if (children.TryGetValue(child.Path.Name, out var entry) && ReferenceEquals(entry.Ref, child) && !entry.Stopping)
            {
                entry.Stopping = true;
                stoppingChildren++;
            }
        }
    }

    private void StopChild(LocalActorRef child)
    {
        MarkStopping(child);
        child.Cell.SendSystem(SysTerminate.Instance);
    }

    private ChildEntry? FindChild(LocalActorRef child)
    {
        lock (childrenGate)
            return children.TryGetValue(child.Path.Name, out var entry) && ReferenceEquals(entry.Ref, child) ? entry : null;
    }

    private void HandleChildTerminated(LocalActorRef child)
    {
        bool empty, noneStopping;
        lock (childrenGate)
        {
            if (children.TryGetValue(child.Path.Name, out var entry) && ReferenceEquals(entry.Ref, child))
            {
                children.Remove(child.Path.Name);
                if (entry.Stopping)
                    stoppingChildren--;
            }
            empty = children.Count == 0;
            noneStopping = stoppingChildren == 0;
        }
        escalated?.Remove(child);
        if (state == CellState.Terminating)
        {
            if (empty)
                FinishTerminate();
        }
        else if (pendingRecreate is not null && noneStopping)
        {
            FinishRecreate();
        }
    }

    /// <summary>A child as its parent sees it: the reference, whether it is being stopped, and its restart history.</summary>
    private sealed class ChildEntry(LocalActorRef child)
    {
        public LocalActorRef Ref { get; } = child;

        public bool Stopping { get; set; }

        public ChildRestartStats Stats { get; } = new();
    }
}
