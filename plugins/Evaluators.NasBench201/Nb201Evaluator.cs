using AutoCompress.Contracts.Evaluation;

namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// The evaluator "nb201": evaluates a NAS-Bench-201 cell by looking it up in the benchmark's tables instead of
/// training it, so search strategies can be compared over thousands of runs in minutes. The configuration is the six
/// edge parameters <c>op_10 … op_32</c> (or an <c>arch</c> string); the metrics are those of <see cref="Nb201Metrics"/>.
/// A search must use <c>validation_accuracy</c> as its signal; <c>test_accuracy</c> is what gets reported.
/// <para>
/// Fidelity is ignored: the tables hold only the 200-epoch results (no per-epoch columns), so every request is
/// answered at full fidelity (and a request asking for another fidelity is told so in its log).
/// </para>
/// <para>
/// The tables are read on the first evaluation, once, under a lock (a failed read is not cached, so fixing the data
/// and retrying works); afterwards an evaluation is a dictionary lookup taking microseconds. It is pure managed code,
/// so it runs inside the orchestrator (<see cref="RequiresIsolation"/> is false).
/// </para>
/// </summary>
public sealed class Nb201Evaluator : Evaluator
{
    /// <summary>The evaluator's id.</summary>
    public const string EvaluatorId = "nb201";

    private readonly string? folder;
    private readonly Lock gate = new();
    private volatile Nb201Table? table;

    /// <summary>Creates the evaluator; nothing is read until the first evaluation.</summary>
    /// <param name="dataFolder">
    /// The folder holding nb201_cifar10.csv and nb201_latency.csv; null to use <see cref="Nb201Data.EnvironmentVariable"/>
    /// or to search for <c>shared/benchdata</c> (see <see cref="Nb201Data.Locate"/>).
    /// </param>
    public Nb201Evaluator(string? dataFolder = null) => folder = dataFolder;

    public override string Id => EvaluatorId;

    public override bool RequiresIsolation => false;

    /// <summary>The tables, read on first use.</summary>
    public Nb201Table Table
    {
        get
        {
            var loaded = table;
            if (loaded is not null) return loaded;
            lock (gate)
            {
                return table ??= Nb201Table.LoadFolder(Nb201Data.Locate(folder));
            }
        }
    }

    /// <summary>The cell a configuration (JSON text) names; a <see cref="Contracts.Methods.ConfigException"/> names a bad parameter.</summary>
    public Nb201Cell Cell(string config)
    {
        var ops = Nb201Config.Parse(config); // before the table, so a bad configuration is reported even without data
        return Table.Find(ops);
    }

    public override Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, EvaluationContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (cancel.IsCancellationRequested) return Task.FromCanceled<EvaluationResult>(cancel);
        try
        {
            // Problems (a bad configuration, missing or damaged data) are reported through the task, as from any evaluator.
            var ops = Nb201Config.Parse(request.Config);
            var data = Table;
            var cell = data.Find(ops);
            if (request.Fidelity is { } fidelity && fidelity != 1)
                context.Log?.Report($"nb201: the table holds 200-epoch results only; fidelity {fidelity} is ignored");
            return Task.FromResult(new EvaluationResult(Nb201Metrics.For(data, cell), []));
        }
        catch (Exception e)
        {
            return Task.FromException<EvaluationResult>(e);
        }
    }
}
