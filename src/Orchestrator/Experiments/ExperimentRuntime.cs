using AutoCompress.Actors;
using AutoCompress.Search.Strategies;
using AutoCompress.Storage;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>What every experiment actor shares: the store, the scheduler, the strategies and where trials write.</summary>
internal sealed record ExperimentRuntime(ExperimentStore Store, IActorRef Scheduler, StrategyCatalog Strategies, string WorkRoot);
