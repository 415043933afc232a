namespace AutoCompress.Methods.Pruning;

/// <summary>
/// How unstructured pruning picks its threshold: per layer (every layer loses the same fraction) or
/// globally (one magnitude threshold over all layers, so layers with many small weights lose more).
/// </summary>
public enum PruneScope
{
    Layer,
    Global,
}
