// Crash child: opens the store given as argument 1 and, until it is killed, runs two kinds of writers:
//   - workers (argument 2, default 8) that each loop add -> start -> complete (with one artifact) on experiment A and
//     print "done <trial id> <attempt>" once CompleteTrialAsync has returned true (= committed);
//   - one strategy loop on experiment B that adds 5 trials, starts them, and commits their completions together with a
//     checkpoint (CompleteTrialsAndCheckpointAsync) whose state is the told count as text, then prints "told <count>".
// It prints "ready <experiment A> <experiment B>" first. Console.Out flushes every line, so a printed line is a
// promise the parent test can hold the store to after kill -9.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AutoCompress.Storage;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: crash-child <store path> [workers]");
    return 2;
}
var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var store = await ExperimentStore.OpenAsync(args[0]);
var a = await store.CreateExperimentAsync("crash-a", """{"kind":"workers"}""");
var b = await store.CreateExperimentAsync("crash-b", """{"kind":"strategy"}""");
var output = new object();
void Say(string line)
{
    lock (output) Console.WriteLine(line);
}
Say($"ready {a.Id} {b.Id}");

async Task Worker(int index)
{
    for (var i = 0; ; i++)
    {
        var ids = await store.AddTrialsAsync(a.Id, [new NewTrial($$"""{"worker":{{index}},"i":{{i}}}""", Fidelity: 1 + (i % 3))]);
        var attempt = await store.StartTrialAsync(ids[0], $"w{index}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(ids[0])));
        var won = await store.CompleteTrialAsync(ids[0], attempt,
            new Dictionary<string, double> { ["accuracy"] = ids[0] % 1000 / 1000.0, ["worker"] = index },
            [new ArtifactInfo("weights", $"/nonexistent/{ids[0]}.safetensors", ids[0], hash)]);
        if (!won) throw new InvalidOperationException($"completion of fresh trial {ids[0]} was refused");
        Say(string.Create(CultureInfo.InvariantCulture, $"done {ids[0]} {attempt}"));
    }
}

async Task Strategy()
{
    long told = 0;
    for (var round = 0; ; round++)
    {
        var ids = await store.AddTrialsAsync(b.Id, Enumerable.Range(0, 5).Select(k => new NewTrial($$"""{"round":{{round}},"k":{{k}}}""")).ToList());
        var completions = new List<TrialCompletion>();
        foreach (var id in ids)
        {
            var attempt = await store.StartTrialAsync(id, "strategy");
            completions.Add(new TrialCompletion(id, attempt, new Dictionary<string, double> { ["loss"] = 1.0 / id }));
        }
        told += completions.Count;
        var commit = await store.CompleteTrialsAndCheckpointAsync(b.Id, completions, Encoding.UTF8.GetBytes(told.ToString(CultureInfo.InvariantCulture)), told);
        if (!commit.Committed) throw new InvalidOperationException("fresh completions were refused");
        Say(string.Create(CultureInfo.InvariantCulture, $"told {told}"));
    }
}

await Task.WhenAll(Enumerable.Range(0, workers).Select(Worker).Append(Strategy()));
return 0;
