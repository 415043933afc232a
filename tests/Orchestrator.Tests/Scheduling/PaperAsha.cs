namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>
/// ASHA transcribed as literally as possible from Li et al. 2020, Algorithm 2 (get_job), as an independent oracle:
/// rungs are lists of (configuration, loss) in report order; for k = top−1 … 0, candidates = top_k(rung k,
/// floor(|rung k| / eta)), promotable = candidates not yet promoted from rung k; if any, promote promotable[0] to k+1;
/// otherwise start a new configuration at rung 0. Losses are minimized; ties go to the earlier-started trial; a
/// failure is a loss of +inf that is never promoted. Trials are identified by (configuration, rung).
/// </summary>
internal sealed class PaperAsha(int rungs, double eta)
{
    private readonly List<(int Config, double Loss, bool Failed, int Order)>[] results = [.. Enumerable.Range(0, rungs).Select(_ => new List<(int, double, bool, int)>())];
    private readonly HashSet<int>[] promoted = [.. Enumerable.Range(0, rungs).Select(_ => new HashSet<int>())];
    private readonly Dictionary<(int Config, int Rung), int> started = [];
    private int nextConfig = 1;

    /// <summary>The next job as (configuration, rung).</summary>
    public (int Config, int Rung) GetJob()
    {
        for (var k = rungs - 2; k >= 0; k--)
        {
            var count = (int)Math.Floor(results[k].Count / eta);
            var candidates = results[k].OrderBy(r => r.Failed).ThenBy(r => r.Loss).ThenBy(r => r.Order).Take(count);
            var promotable = candidates.Where(r => !r.Failed && !promoted[k].Contains(r.Config)).ToList();
            if (promotable.Count > 0)
            {
                promoted[k].Add(promotable[0].Config);
                return Start(promotable[0].Config, k + 1);
            }
        }
        return Start(nextConfig++, 0);
    }

    public void Report(int config, int rung, double? loss) =>
        results[rung].Add((config, loss ?? double.PositiveInfinity, loss is null, started[(config, rung)]));

    private (int, int) Start(int config, int rung)
    {
        started[(config, rung)] = started.Count;
        return (config, rung);
    }
}
