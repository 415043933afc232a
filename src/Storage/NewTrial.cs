namespace AutoCompress.Storage;

/// <summary>
/// A trial a strategy proposes: a configuration to evaluate at a fidelity (epochs, data fraction, ...). A
/// multi-fidelity strategy that promotes a configuration to a higher fidelity names the trial it promotes as the
/// parent, so the lineage survives restarts; higher priority trials are claimed first.
/// </summary>
/// <param name="ConfigJson">The configuration as JSON.</param>
/// <param name="Fidelity">Positive, finite fidelity (for example the number of epochs).</param>
/// <param name="ParentId">The trial this one was promoted from, in the same experiment; null for a fresh configuration.</param>
/// <param name="Priority">Claim order: higher first, then by sequence number.</param>
public sealed record NewTrial(string ConfigJson, double Fidelity = 1.0, long? ParentId = null, int Priority = 0);
