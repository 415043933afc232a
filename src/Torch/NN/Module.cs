namespace AutoCompress.Torch.NN;

/// <summary>
/// A network component with named parameters, buffers and child modules, as in PyTorch.
/// Parameters and buffers belong to the module (outside any <see cref="DisposeScope"/>) and are
/// freed by <see cref="Dispose()"/>.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = new();
    private readonly List<(string Name, Tensor Tensor)> buffers = new();
    private readonly List<(string Name, Module Module)> children = new();
    private bool disposed;

    /// <summary>Whether the module is in training mode (dropout active, batch norm using batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a trainable parameter; the module takes ownership.</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.DetachFromScope();
        tensor.RequiresGrad = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers persistent state that is not trained (e.g. running statistics); the module takes ownership.</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.DetachFromScope();
        buffers.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a child module; the module takes ownership.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add((name, module));
        module.SetTraining(Training);
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"invalid member name '{name}'");
        if (parameters.Exists(p => p.Name == name) || buffers.Exists(b => b.Name == name) || children.Exists(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'");
    }

    /// <summary>Direct children with their names.</summary>
    public IReadOnlyList<(string Name, Module Module)> Children => children;

    /// <summary>Every parameter of this module and its descendants, with dotted names ("features.0.weight").</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters() => Walk("", static m => m.parameters);

    /// <summary>Every buffer of this module and its descendants, with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers() => Walk("", static m => m.buffers);

    /// <summary>Every parameter and buffer: the state that defines the trained model.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateDict() => NamedParameters().Concat(NamedBuffers());

    /// <summary>Parameters that still train (those not frozen).</summary>
    public IEnumerable<Tensor> Parameters() =>
        NamedParameters().Select(p => p.Tensor).Where(t => t.RequiresGrad);

    /// <summary>Every module in the tree, this one first, with dotted names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in children)
            foreach (var m in child.NamedModules(prefix.Length == 0 ? name : $"{prefix}.{name}"))
                yield return m;
    }

    private IEnumerable<(string, Tensor)> Walk(string prefix, Func<Module, List<(string, Tensor)>> pick)
    {
        foreach (var (name, t) in pick(this))
            yield return (prefix + name, t);
        foreach (var (name, child) in children)
            foreach (var item in child.Walk($"{prefix}{name}.", pick))
                yield return item;
    }

    /// <summary>Switches this module and its descendants to training mode.</summary>
    public Module Train() => SetTraining(true);

    /// <summary>Switches this module and its descendants to evaluation mode.</summary>
    public Module Eval() => SetTraining(false);

    private Module SetTraining(bool training)
    {
        Training = training;
        foreach (var (_, child) in children) child.SetTraining(training);
        return this;
    }

    /// <summary>Stops (or resumes) training of every parameter in this subtree.</summary>
    public void Freeze(bool frozen = true)
    {
        foreach (var (_, p) in NamedParameters()) p.RequiresGrad = !frozen;
    }

    /// <summary>Drops the gradients of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>Number of parameter elements (trainable or frozen).</summary>
    public long ParameterCount() => NamedParameters().Sum(p => p.Tensor.NumEl);

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers.
    /// Every name must be present with the same shape and dtype, and no name may be left over.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = StateDict().ToList();
        var missing = own.Where(p => !state.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        var unexpected = state.Keys.Except(own.Select(p => p.Name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException(
                $"state does not match {GetType().Name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        using var noGrad = TorchEngine.NoGrad();
        foreach (var (name, t) in own)
        {
            var src = state[name];
            var (a, b) = (t.Shape, src.Shape);
            if (!a.AsSpan().SequenceEqual(b) || t.DType != src.DType)
                throw new ArgumentException(
                    $"'{name}': model has {t.DType}[{string.Join(", ", a)}], state has {src.DType}[{string.Join(", ", b)}]");
            t.CopyFrom(src);
        }
    }

    /// <summary>Frees every parameter and buffer of this module and its descendants.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing) return;
        disposed = true;
        foreach (var (_, t) in parameters) t.Dispose();
        foreach (var (_, t) in buffers) t.Dispose();
        foreach (var (_, c) in children) c.Dispose();
    }
}
