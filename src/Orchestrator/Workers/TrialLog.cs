namespace AutoCompress.Orchestrator.Workers;

/// <summary>A trial's log lines, capped so that a chatty evaluator cannot exhaust the orchestrator's memory.</summary>
internal sealed class TrialLog(int capacity)
{
    private readonly List<string> lines = new();
    private readonly Lock gate = new();
    private long dropped;

    public void Add(string line)
    {
        lock (gate)
        {
            if (lines.Count < capacity) lines.Add(line);
            else dropped++;
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
                return dropped == 0 ? lines.ToArray() : [.. lines, $"... {dropped} more log lines not kept"];
        }
    }
}
