namespace AutoCompress.Orchestrator.Workers;

/// <summary>A worker process could not be started or did not become ready; the message says why.</summary>
public sealed class WorkerStartException : Exception
{
    public WorkerStartException() : base("the worker could not be started") { }

    public WorkerStartException(string message) : base(message) { }

    public WorkerStartException(string message, Exception inner) : base(message, inner) { }
}
