namespace AutoCompress.Contracts.Models;

/// <summary>A model description that cannot be built, with the layer at fault when there is one.</summary>
public sealed class ModelValidationException : Exception
{
    public ModelValidationException(string? layerId, string problem, Exception? inner = null)
        : base(layerId is null ? problem : $"layer '{layerId}': {problem}", inner)
    {
        LayerId = layerId;
        Problem = problem;
    }

    public ModelValidationException() : this(null, "invalid model description") { }

    public ModelValidationException(string message) : this(null, message) { }

    public ModelValidationException(string message, Exception inner) : this(null, message, inner) { }

    /// <summary>The layer at fault, or null for a model-level problem.</summary>
    public string? LayerId { get; }

    /// <summary>What is wrong, without the layer prefix.</summary>
    public string Problem { get; }
}
