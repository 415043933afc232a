namespace AutoCompress.Orchestrator.Workers;

/// <summary>The last lines a worker wrote to stderr, kept for crash reports (thread-safe).</summary>
internal sealed class StderrTail(int capacity)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    public void Add(string line)
    {
        if (capacity == 0) return;
        lock (gate)
        {
            if (lines.Count == capacity) lines.Dequeue();
            lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (gate) return lines.ToArray();
    }
}
