namespace AutoCompress.Storage;

/// <summary>
/// What the writer has committed since the store was opened: operations per transaction shows how much group commit
/// is batching (1.0 means every operation paid for its own commit).
/// </summary>
/// <param name="Operations">Write operations committed.</param>
/// <param name="Transactions">Transactions committed.</param>
/// <param name="WriterBusy">Time the writer spent executing and committing (the rest it waited for work).</param>
public sealed record WriteStatistics(long Operations, long Transactions, TimeSpan WriterBusy)
{
    public double OperationsPerTransaction => Transactions == 0 ? 0 : (double)Operations / Transactions;
}
