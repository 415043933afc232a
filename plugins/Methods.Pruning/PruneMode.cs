namespace AutoCompress.Methods.Pruning;

/// <summary>
/// What pruning removes. Unstructured pruning zeroes single weights (the network keeps its dense
/// shape, so only a sparse kernel or a compressed format gains from it); structured pruning removes
/// whole filters/channels, giving a smaller dense network that is faster everywhere.
/// </summary>
public enum PruneMode
{
    Structured,
    Unstructured,
}
