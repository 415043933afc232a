namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// The bookkeeping both schedulers share: the trials of every rung, who was promoted, in-flight jobs, rankings, and
/// the conversion to and from <see cref="FidelitySchedulerState"/>. The schedulers only decide what to hand out next.
/// </summary>
internal sealed class RungBook
{
    private readonly SortedDictionary<long, FidelityTrial> trials = [];
    private readonly List<long>[] rungKeys;
    private readonly List<FidelityTrial>?[] rankings;
    private readonly Dictionary<long, long> childOf = []; // parent key -> the promoted trial's key
    private readonly TrialRanking order;

    public RungBook(IReadOnlyList<double> resources, OptimizationDirection direction)
    {
        Resources = resources;
        Direction = direction;
        order = new TrialRanking(direction);
        rungKeys = [.. resources.Select(_ => new List<long>())];
        rankings = new List<FidelityTrial>?[resources.Count];
    }

    public IReadOnlyList<double> Resources { get; }

    public OptimizationDirection Direction { get; }

    public int TopRung => Resources.Count - 1;

    public long NextTrialKey { get; private set; } = 1;

    public int NextConfigurationId { get; private set; } = 1;

    public bool NewConfigurationsStopped { get; set; }

    public int InFlightCount { get; private set; }

    /// <summary>Trials of <paramref name="rung"/>, in flight or reported.</summary>
    public int Count(int rung) => rungKeys[rung].Count;

    public int InFlightAt(int rung) => rungKeys[rung].Count(k => trials[k].Status == FidelityTrialStatus.InFlight);

    public int SucceededAt(int rung) => rungKeys[rung].Count(k => trials[k].Status == FidelityTrialStatus.Completed);

    /// <summary>The highest rung holding any trial, or -1 when there is none.</summary>
    public int HighestOccupiedRung
    {
        get
        {
            for (var k = TopRung; k >= 0; k--)
                if (rungKeys[k].Count > 0) return k;
            return -1;
        }
    }

    public bool IsPromoted(long key) => childOf.ContainsKey(key);

    /// <summary>The reported trials of <paramref name="rung"/>, best first (see <see cref="TrialRanking"/>).</summary>
    public IReadOnlyList<FidelityTrial> Ranking(int rung)
    {
        if (rankings[rung] is { } cached) return cached;
        var ranked = rungKeys[rung].Select(k => trials[k]).Where(t => t.Status != FidelityTrialStatus.InFlight).ToList();
        ranked.Sort(order);
        return rankings[rung] = ranked;
    }

    /// <summary>The first completed, not yet promoted trial among the best <paramref name="top"/> of <paramref name="rung"/>.</summary>
    public FidelityTrial? FirstPromotable(int rung, int top)
    {
        var ranking = Ranking(rung);
        for (var i = 0; i < Math.Min(top, ranking.Count); i++)
            if (ranking[i].Status == FidelityTrialStatus.Completed && !IsPromoted(ranking[i].Key)) return ranking[i];
        return null;
    }

    public FidelityJob IssueNew()
    {
        var trial = new FidelityTrial(NextTrialKey++, NextConfigurationId++, 0, null, FidelityTrialStatus.InFlight, null, null);
        Add(trial);
        return Job(trial);
    }

    public FidelityJob IssuePromotion(FidelityTrial parent)
    {
        if (parent.Status != FidelityTrialStatus.Completed || parent.Rung >= TopRung || IsPromoted(parent.Key))
            throw new InvalidOperationException($"trial {parent.Key} cannot be promoted ({parent.Status}, rung {parent.Rung}, promoted: {IsPromoted(parent.Key)})");
        var trial = new FidelityTrial(NextTrialKey++, parent.ConfigurationId, parent.Rung + 1, parent.Key, FidelityTrialStatus.InFlight, null, null);
        Add(trial);
        return Job(trial);
    }

    public void Report(long key, int rung, double objective)
    {
        if (double.IsNaN(objective))
            throw new ArgumentException($"trial {key}: the objective is NaN; report a diverged or broken evaluation with ReportFailure", nameof(objective));
        Complete(InFlightTrial(key, rung) with { Status = FidelityTrialStatus.Completed, Objective = objective });
    }

    public void Fail(long key, int rung, string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Complete(InFlightTrial(key, rung) with { Status = FidelityTrialStatus.Failed, Error = error });
    }

    public void Withdraw(long key)
    {
        var trial = InFlightTrial(key, rung: null);
        trials.Remove(key);
        rungKeys[trial.Rung].Remove(key);
        if (trial.ParentKey is { } parent) childOf.Remove(parent);
        InFlightCount--;
    }

    public IReadOnlyList<FidelityJob> InFlight() =>
        [.. trials.Values.Where(t => t.Status == FidelityTrialStatus.InFlight).Select(Job)];

    public IReadOnlyList<RungSnapshot> Snapshots() =>
    [
        .. Resources.Select((resource, k) => new RungSnapshot(k, resource,
            [.. rungKeys[k].Select(key => trials[key])],
            [.. Ranking(k)],
            [.. rungKeys[k].Where(childOf.ContainsKey).OrderBy(key => childOf[key])])),
    ];

    public IReadOnlyList<FidelityTrial> ReachedTop() => [.. Ranking(TopRung).Where(t => t.Status == FidelityTrialStatus.Completed)];

    public FidelitySchedulerState State(SuccessiveHalvingOptions? sh, AshaOptions? asha) => new()
    {
        Version = FidelitySchedulerState.CurrentVersion,
        SuccessiveHalving = sh,
        Asha = asha,
        NewConfigurationsStopped = NewConfigurationsStopped,
        NextTrialKey = NextTrialKey,
        NextConfigurationId = NextConfigurationId,
        Trials = [.. trials.Values],
    };

    /// <summary>A book holding <paramref name="state"/>'s trials, after checking that they could have come from a scheduler.</summary>
    public static RungBook Restore(FidelitySchedulerState state, IReadOnlyList<double> resources, OptimizationDirection direction)
    {
        static void Check(bool ok, string problem)
        {
            if (!ok) throw new InvalidDataException($"scheduler state: {problem}");
        }
        Check(state.Version == FidelitySchedulerState.CurrentVersion, $"version {state.Version} is not the supported version {FidelitySchedulerState.CurrentVersion}");
        Check(state.Trials is not null, "\"trials\" is missing");
        Check(state.NextTrialKey >= 1 && state.NextConfigurationId >= 1, $"next_trial_key {state.NextTrialKey} and next_configuration_id {state.NextConfigurationId} must be at least 1");
        var book = new RungBook(resources, direction) { NewConfigurationsStopped = state.NewConfigurationsStopped };
        var configurations = new HashSet<int>();
        long previous = 0;
        foreach (var t in state.Trials!)
        {
            if (t is null) throw new InvalidDataException("scheduler state: a trial is null");
            var at = $"trial {t.Key}";
            Check(t.Key > previous && t.Key < state.NextTrialKey, $"{at}: keys must be increasing and below next_trial_key {state.NextTrialKey}");
            previous = t.Key;
            Check(t.ConfigurationId >= 1 && t.ConfigurationId < state.NextConfigurationId, $"{at}: configuration {t.ConfigurationId} is not below next_configuration_id {state.NextConfigurationId}");
            Check(t.Rung >= 0 && t.Rung <= book.TopRung, $"{at}: rung {t.Rung} is not one of 0..{book.TopRung}");
            Check(Enum.IsDefined(t.Status), $"{at}: unknown status {t.Status}");
            Check(t.Status switch
            {
                FidelityTrialStatus.InFlight => t.Objective is null && t.Error is null,
                FidelityTrialStatus.Completed => t.Objective is { } o && !double.IsNaN(o) && t.Error is null,
                _ => t.Objective is null && t.Error is not null,
            }, $"{at}: a {t.Status} trial has objective {t.Objective?.ToString() ?? "null"} and error {t.Error ?? "null"}");
            if (t.Rung == 0)
            {
                Check(t.ParentKey is null, $"{at}: a rung-0 trial has a parent");
                Check(configurations.Add(t.ConfigurationId), $"{at}: configuration {t.ConfigurationId} starts twice at rung 0");
            }
            else
            {
                Check(t.ParentKey is { } p && book.trials.ContainsKey(p), $"{at}: its parent {t.ParentKey?.ToString() ?? "null"} is not an earlier trial");
                var parent = book.trials[t.ParentKey!.Value];
                Check(parent.Rung == t.Rung - 1 && parent.ConfigurationId == t.ConfigurationId && parent.Status == FidelityTrialStatus.Completed,
                    $"{at}: its parent {parent.Key} is not a completed trial of configuration {t.ConfigurationId} at rung {t.Rung - 1}");
                Check(!book.IsPromoted(parent.Key), $"{at}: trial {parent.Key} was promoted twice");
            }
            book.Add(t);
        }
        book.NextTrialKey = state.NextTrialKey;
        book.NextConfigurationId = state.NextConfigurationId;
        return book;
    }

    private void Add(FidelityTrial trial)
    {
        trials.Add(trial.Key, trial);
        rungKeys[trial.Rung].Add(trial.Key);
        if (trial.ParentKey is { } parent) childOf.Add(parent, trial.Key);
        if (trial.Status == FidelityTrialStatus.InFlight) InFlightCount++;
        else rankings[trial.Rung] = null;
    }

    private FidelityTrial InFlightTrial(long trialKey, int? rung)
    {
        if (!trials.TryGetValue(trialKey, out var trial))
            throw new ArgumentException($"trial {trialKey} is unknown: it was never handed out, or was withdrawn", nameof(trialKey));
        if (rung is { } r && r != trial.Rung)
            throw new ArgumentException($"trial {trialKey} runs at rung {trial.Rung}, not at rung {r}", nameof(rung));
        if (trial.Status != FidelityTrialStatus.InFlight)
            throw new InvalidOperationException($"trial {trialKey} was already reported ({trial.Status})");
        return trial;
    }

    private void Complete(FidelityTrial trial)
    {
        trials[trial.Key] = trial;
        rankings[trial.Rung] = null;
        InFlightCount--;
    }

    private FidelityJob Job(FidelityTrial t) =>
        new(t.Key, t.ConfigurationId, t.Rung, Resources[t.Rung], t.ParentKey, t.Rung == 0 ? null : Resources[t.Rung - 1]);
}
