using System.Text.Json;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Storage;

namespace AutoCompress.Cli.Remote;

/// <summary>
/// `autocompress remote watch`: follows an experiment's server-sent events ("progress" every interval, "trial" for
/// each trial that ended, "end") into the same <see cref="ProgressDisplay"/> as a local run: the live table on a
/// terminal, plain lines otherwise. The front's size comes from /pareto whenever the completed count changed.
/// </summary>
internal static class RemoteWatch
{
    /// <summary>0 when the experiment completed, 1 when it failed or was cancelled (or the stream broke off).</summary>
    public static async Task<int> RunAsync(RemoteClient client, Guid id, CancellationToken ct)
    {
        var estimator = new TimeLeftEstimator();
        long frontAt = -1;
        int? front = null;
        ExperimentProgress? final = null;
        // Trial lines show the objectives' metrics (all of them are one `remote trial` away).
        var objectives = RemoteFormat.ObjectiveMetrics(await client.GetExperimentAsync(id, ct).ConfigureAwait(false));
        var display = ProgressDisplay.Create();
        await using (display.ConfigureAwait(false))
        {
            using var response = await client.OpenAsync($"api/experiments/{id}/events", ct).ConfigureAwait(false);
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                await foreach (var e in ServerSentEvents.ReadAsync(stream, ct).ConfigureAwait(false))
                {
                    switch (e.Name)
                    {
                        case "progress" or "end":
                            var p = Parse<ExperimentProgress>(e, client);
                            if (p.Completed != frontAt)
                            {
                                front = (await client.ParetoAsync(id, ct).ConfigureAwait(false)).Size;
                                frontAt = p.Completed;
                            }
                            display.Show([new ProgressSnapshot(p, front, estimator.Estimate(p.Completed + p.Failed, p.MaxTrials))], final: e.Name == "end");
                            if (e.Name == "end") final = p;
                            break;
                        case "trial":
                            display.Note(RemoteFormat.Ended(Parse<TrialView>(e, client), objectives));
                            break;
                    }
                    if (final is not null) break;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new RemoteException($"lost the connection to {client.Server} while watching experiment {id}: {e.Message}", e);
            }
        }
        if (final is null)
            throw new RemoteException($"the server at {client.Server} closed the event stream before experiment {id} ended (was it stopped?); `autocompress remote watch {id}` follows it again");
        return final.Status == ExperimentStatus.Completed ? 0 : 1;
    }

    private static T Parse<T>(ServerSentEvent e, RemoteClient client)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(e.Data, RemoteClient.Json) ?? throw new JsonException("null");
        }
        catch (JsonException x)
        {
            throw new RemoteException($"{client.Server} sent a '{e.Name}' event this client does not understand: {x.Message}", x);
        }
    }
}
