using System.Text.Json.Nodes;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// One entry of the configuration's "steps": which method plugin runs and with which (fixed) configuration.
/// </summary>
/// <param name="Index">Position in the pipeline, from 0.</param>
/// <param name="Name">What dotted keys and step metrics call the step: its "name", else its method id. Unique, without '.'.</param>
/// <param name="Method">The method plugin's id, e.g. "prune".</param>
/// <param name="Config">The step's own configuration object, before dotted keys are merged into it.</param>
public sealed record StepSpec(int Index, string Name, string Method, JsonObject Config);

/// <summary>
/// A dotted top-level key, <c>&lt;step&gt;.&lt;parameter&gt;</c> or <c>&lt;step&gt;.&lt;parameter&gt;.&lt;member&gt;</c>,
/// the form in which a search strategy's parameters address a step's configuration.
/// </summary>
/// <param name="Key">The key as written, for error messages.</param>
/// <param name="Step">The step name before the first '.'.</param>
/// <param name="Parameter">The method parameter between the first and the second '.'.</param>
/// <param name="Member">Everything after the second '.' (it may contain dots itself): a member of a map parameter
/// such as <c>layer_ratios</c>; null when the key sets the parameter as a whole.</param>
/// <param name="Value">The value to set.</param>
public sealed record StepParameter(string Key, string Step, string Parameter, string? Member, JsonNode? Value)
{
    /// <summary>Splits <paramref name="key"/>; a key with an empty part is a configuration error naming it.</summary>
    public static StepParameter Parse(string key, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('.', 3);
        if (parts.Length < 2 || parts.Any(p => p.Length == 0))
            throw new AutoCompress.Contracts.Methods.ConfigException(
                $"compress: '{key}' is not a step parameter; dotted keys are '<step>.<parameter>' or '<step>.<parameter>.<member>'");
        return new StepParameter(key, parts[0], parts[1], parts.Length == 3 ? parts[2] : null, value);
    }
}
