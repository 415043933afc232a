namespace AutoCompress.Orchestrator.Tests;

/// <summary>What /proc says about processes: whether one is alive, and which worker processes this test process has.</summary>
internal static class Processes
{
    /// <summary>True when <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return State(stat) != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Pids of this process's children whose command line contains "worker".</summary>
    public static IReadOnlyList<int> ChildWorkers()
    {
        var me = Environment.ProcessId;
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) != me || fields[0] == "Z") continue;
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("worker", StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return found;
    }

    private static char State(string stat) => stat[stat.LastIndexOf(')') + 2];

    /// <summary>Waits until <paramref name="condition"/> holds, up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> Eventually(Func<bool> condition, double seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
