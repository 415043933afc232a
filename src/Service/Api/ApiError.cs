namespace AutoCompress.Service.Api;

/// <summary>The body of every 4xx answer: what is wrong and, for a bad spec, which field.</summary>
public sealed record ApiError(string Error, string? Field = null)
{
    /// <summary>From "spec: budget.max_trials must be ..." takes "budget.max_trials".</summary>
    public static ApiError FromSpec(string message)
    {
        var rest = message.StartsWith("spec: ", StringComparison.Ordinal) ? message[6..] : message;
        var end = rest.IndexOfAny([':', ' ']);
        var field = end > 0 ? rest[..end] : null;
        return new ApiError(message, field);
    }
}
