namespace AutoCompress.Actors;

/// <summary>
/// The address of an actor inside its system, e.g. <c>ac://trials/user/scheduler/worker-3</c>: the system name, then one
/// element per level of the supervision tree. Paths are for logs, error messages and lookups by name; two references to
/// different incarnations of an actor with the same name share a path but are not equal references.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private const string Scheme = "ac://";
    private readonly string text;

    private ActorPath(string systemName, ActorPath? parent, string name)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        text = parent is null ? $"{Scheme}{systemName}/" : parent.Parent is null ? parent.text + name : $"{parent.text}/{name}";
    }

    /// <summary>The name of the actor system.</summary>
    public string SystemName { get; }

    /// <summary>The parent path; null for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element (the actor's name); empty for the root.</summary>
    public string Name { get; }

    /// <summary>The elements below the root, e.g. <c>["user", "scheduler", "worker-3"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new List<string>();
            for (var p = this; p.Parent is not null; p = p.Parent)
                elements.Add(p.Name);
            elements.Reverse();
            return elements;
        }
    }

    internal static ActorPath Root(string systemName) => new(systemName, null, string.Empty);

    internal ActorPath Child(string name) => new(SystemName, this, name);

    public bool Equals(ActorPath? other) => other is not null && string.Equals(text, other.text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(text);

    public override string ToString() => text;
}
