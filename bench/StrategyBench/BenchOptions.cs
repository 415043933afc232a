using System.Globalization;
using System.Text.Json.Nodes;

namespace AutoCompress.StrategyBench;

/// <summary>The command line of the strategy benchmark.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        strategy-bench [options]
          --seeds N               runs per strategy (default 100)
          --seed-base S           first seed (default 0); run r uses seed S + r
          --queries N             queries per run (default 1000; budgets above N are dropped)
          --budgets a,b,...       numbers of queries to report (default 50,100,150,200,300,500,1000)
          --strategies a,b        strategies to run (default: every name in the StrategyCatalog); "name+dedup" wraps
                                  the strategy in middleware layers (dedup, failure_penalty, ...) with their defaults
          --options name=JSON     options for one strategy (repeatable), e.g. --options 'reinforce={"learning_rate":0.1}'
          --batch K               outstanding suggestions (default 1: sequential ask/tell; K > 1: asynchronous,
                                  results return oldest first while K are in flight)
          --mo-strategies a,b     strategies for the multi-objective runs (default nsga2,random; those that exist)
          --devices a,b           latency devices for the multi-objective runs (default: all in the latency table)
          --mo-seeds N            runs per strategy and device for the multi-objective part (default: --seeds)
          --no-mo                 skip the multi-objective part
          --data DIR              folder with nb201_cifar10.csv and nb201_latency.csv (default: AUTOCOMPRESS_BENCHDATA,
                                  else shared/benchdata found above this program or the working directory)
          --published FILE        the paper's table (default: DIR/nb201_published_cifar10.csv)
          --out FILE              JSON lines (default runs/bench/strategies.jsonl under the repository)
          --threads T             parallel runs (default: processor count)
        """;

    public int Seeds { get; init; } = 100;
    public long SeedBase { get; init; }
    public int Queries { get; init; } = 1000;
    public IReadOnlyList<int> Budgets { get; init; } = [50, 100, 150, 200, 300, 500, 1000];
    public IReadOnlyList<string>? Strategies { get; init; }
    public IReadOnlyDictionary<string, string> StrategyOptions { get; init; } = new Dictionary<string, string>();
    public int Batch { get; init; } = 1;
    public IReadOnlyList<string> MoStrategies { get; init; } = ["nsga2", "random"];
    public IReadOnlyList<string>? Devices { get; init; }
    public int? MoSeeds { get; init; }
    public bool MultiObjective { get; init; } = true;
    public string? Data { get; init; }
    public string? Published { get; init; }
    public string? Out { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Options for <paramref name="strategy"/> as a fresh JSON object (strategies may keep it).</summary>
    public JsonObject OptionsFor(string strategy) =>
        StrategyOptions.TryGetValue(strategy, out var json) ? (JsonObject)JsonNode.Parse(json)! : [];

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var strategyOptions = new Dictionary<string, string>(StringComparer.Ordinal);
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            static List<string> List(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            int Positive(string name, string s) => int.TryParse(s, NumberStyles.Integer, inv, out var n) && n > 0 ? n
                : throw new ArgumentException($"{name} must be a positive integer, got '{s}'");
            switch (args[i])
            {
                case "--seeds": o = o with { Seeds = Positive("--seeds", Next()) }; break;
                case "--seed-base": o = o with { SeedBase = long.Parse(Next(), inv) }; break;
                case "--queries": o = o with { Queries = Positive("--queries", Next()) }; break;
                case "--budgets": o = o with { Budgets = List(Next()).Select(b => Positive("--budgets", b)).Order().Distinct().ToList() }; break;
                case "--strategies": o = o with { Strategies = List(Next()) }; break;
                case "--options":
                    var kv = Next();
                    var eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new ArgumentException($"--options takes name=JSON, got '{kv}'");
                    if (JsonNode.Parse(kv[(eq + 1)..]) is not JsonObject) throw new ArgumentException($"--options {kv[..eq]}: the options must be a JSON object");
                    strategyOptions[kv[..eq]] = kv[(eq + 1)..];
                    break;
                case "--batch": o = o with { Batch = Positive("--batch", Next()) }; break;
                case "--mo-strategies": o = o with { MoStrategies = List(Next()) }; break;
                case "--devices": o = o with { Devices = List(Next()) }; break;
                case "--mo-seeds": o = o with { MoSeeds = Positive("--mo-seeds", Next()) }; break;
                case "--no-mo": o = o with { MultiObjective = false }; break;
                case "--data": o = o with { Data = Next() }; break;
                case "--published": o = o with { Published = Next() }; break;
                case "--out": o = o with { Out = Next() }; break;
                case "--threads": o = o with { Threads = Positive("--threads", Next()) }; break;
                case "--help" or "-h": throw new OperationCanceledException(Usage);
                default: throw new ArgumentException($"unknown argument '{args[i]}'\n{Usage}");
            }
        }
        o = o with { StrategyOptions = strategyOptions, Budgets = o.Budgets.Where(b => b <= o.Queries).ToList() };
        if (o.Budgets.Count == 0) throw new ArgumentException($"no budget is within --queries {o.Queries}");
        return o;
    }
}
