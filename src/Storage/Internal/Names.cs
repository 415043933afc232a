namespace AutoCompress.Storage.Internal;

/// <summary>Status enums as the lower-case text stored in the database (readable from the sqlite3 shell).</summary>
internal static class Names
{
    private static readonly string[] TrialStatuses = ["pending", "running", "completed", "failed", "cancelled"];
    private static readonly string[] ExperimentStatuses = ["created", "running", "paused", "completed", "failed", "cancelled"];

    public static string Of(TrialStatus status) => TrialStatuses[(int)status];

    public static string Of(ExperimentStatus status) => ExperimentStatuses[(int)status];

    public static TrialStatus ParseTrial(string text) =>
        (TrialStatus)Index(TrialStatuses, text, "trial status");

    public static ExperimentStatus ParseExperiment(string text) =>
        (ExperimentStatus)Index(ExperimentStatuses, text, "experiment status");

    private static int Index(string[] names, string text, string what)
    {
        var i = Array.IndexOf(names, text);
        return i >= 0 ? i : throw new InvalidDataException($"unknown {what} '{text}' in the store");
    }
}
