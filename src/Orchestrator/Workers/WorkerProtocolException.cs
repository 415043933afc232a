namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// The other side broke the worker protocol (a garbled frame, invalid JSON, an unknown or out-of-place
/// message). The side that detects it drops the connection: the parent kills that worker, a worker exits.
/// </summary>
public sealed class WorkerProtocolException : Exception
{
    public WorkerProtocolException() : base("worker protocol violation") { }

    public WorkerProtocolException(string message) : base(message) { }

    public WorkerProtocolException(string message, Exception inner) : base(message, inner) { }
}
