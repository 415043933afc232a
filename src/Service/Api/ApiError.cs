using System.Text.RegularExpressions;

namespace AutoCompress.Service.Api;

/// <summary>The body of every 4xx answer: what is wrong and, for a bad spec, which field.</summary>
public sealed partial record ApiError(string Error, string? Field = null)
{
    /// <summary>
    /// From "spec: budget.max_trials must be ..." takes "budget.max_trials". A message that does not start with a
    /// field path (e.g. "spec: The JSON value could not be converted ...", for a document that is not an object)
    /// names no field rather than a wrong one.
    /// </summary>
    public static ApiError FromSpec(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rest = message.StartsWith("spec: ", StringComparison.Ordinal) ? message[6..] : message;
        var end = rest.IndexOfAny([':', ' ']);
        var field = end > 0 ? rest[..end] : null;
        return new ApiError(message, field is not null && FieldPath().IsMatch(field) ? field : null);
    }

    // snake_case members, optional [index], dotted: "budget.max_trials", "objectives[0].direction".
    [GeneratedRegex(@"^[a-z_][a-z0-9_]*(\[\d+\])?(\.[a-z_][a-z0-9_]*(\[\d+\])?)*$")]
    private static partial Regex FieldPath();
}
