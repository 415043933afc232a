using AutoCompress.Orchestrator.Scheduling;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>Bad settings and bad reports are refused with exceptions that name what is wrong.</summary>
public sealed class SchedulerValidationTests
{
    private static ArgumentException Asha(double r, double big, double eta = 3, int? max = null, OptimizationDirection direction = OptimizationDirection.Minimize) =>
        Assert.ThrowsAny<ArgumentException>(() => new AsynchronousSuccessiveHalving(new AshaOptions { Direction = direction, MinResource = r, MaxResource = big, Eta = eta, MaxConfigurations = max }));

    private static ArgumentException Sh(int n, double r = 1, double big = 9, double eta = 3) =>
        Assert.ThrowsAny<ArgumentException>(() => new SuccessiveHalving(new SuccessiveHalvingOptions { Direction = OptimizationDirection.Minimize, Configurations = n, MinResource = r, MaxResource = big, Eta = eta }));

    [Theory]
    [InlineData(1, 9, 1.5, "Eta", "at least 2")]
    [InlineData(1, 9, 1, "Eta", "at least 2")]
    [InlineData(1, 9, double.NaN, "Eta", "finite")]
    [InlineData(1, 9, double.PositiveInfinity, "Eta", "finite")]
    [InlineData(0, 9, 3, "MinResource", "greater than 0")]
    [InlineData(-1, 9, 3, "MinResource", "greater than 0")]
    [InlineData(double.NaN, 9, 3, "MinResource", "greater than 0")]
    [InlineData(10, 9, 3, "MaxResource", "at least the minimum resource r = 10")]
    [InlineData(1, double.PositiveInfinity, 3, "MaxResource", "finite")]
    [InlineData(1e-30, 1e30, 2, "MinResource", "more than 64 rungs")]
    public void Invalid_ladders_are_refused_naming_the_setting(double r, double big, double eta, string name, string rule)
    {
        foreach (var e in new[] { Asha(r, big, eta), Sh(9, r, big, eta) })
        {
            Assert.Equal(name, e.ParamName);
            Assert.Contains($".{name} = ", e.Message, StringComparison.Ordinal);
            Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        }
        Assert.StartsWith("AshaOptions.", Asha(r, big, eta).Message, StringComparison.Ordinal);
        Assert.StartsWith("SuccessiveHalvingOptions.", Sh(9, r, big, eta).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_counts_and_directions_are_refused()
    {
        Assert.Equal("Configurations", Sh(0).ParamName);
        Assert.Contains("at least 1", Sh(-3).Message, StringComparison.Ordinal);
        Assert.Equal("MaxConfigurations", Asha(1, 9, max: 0).ParamName);
        Assert.Equal("Direction", Asha(1, 9, direction: (OptimizationDirection)7).ParamName);
        Assert.Throws<ArgumentNullException>(() => new AsynchronousSuccessiveHalving(null!));
    }

    [Theory]
    [InlineData(1, 9, 3, new[] { 1.0, 3, 9 })]
    [InlineData(1, 81, 3, new[] { 1.0, 3, 9, 27, 81 })]
    [InlineData(1, 10, 3, new[] { 1.0, 3, 9, 10 })]
    [InlineData(2, 2, 3, new[] { 2.0 })]
    [InlineData(1, 8, 2, new[] { 1.0, 2, 4, 8 })]
    [InlineData(0.1, 0.9, 3, new[] { 0.1, 0.30000000000000004, 0.9 })] // 0.1·9 rounds above 0.9: it is 0.9
    [InlineData(1, 2, 4, new[] { 1.0, 2 })]
    public void The_ladder_is_r_times_eta_to_the_k_capped_at_R(double r, double big, double eta, double[] expected) =>
        Assert.Equal(expected, RungLadder.Resources(r, big, eta));

    [Fact]
    public void Bad_reports_are_refused_naming_the_trial()
    {
        var asha = new AsynchronousSuccessiveHalving(new AshaOptions { Direction = OptimizationDirection.Minimize, MinResource = 1, MaxResource = 9 });
        var job = asha.NextJob().Job!;
        var unknown = Assert.Throws<ArgumentException>(() => asha.Report(99, 0, 1));
        Assert.Equal(("trialKey", true), (unknown.ParamName, unknown.Message.Contains("trial 99 is unknown", StringComparison.Ordinal)));
        var rung = Assert.Throws<ArgumentException>(() => asha.Report(job.TrialKey, 1, 1));
        Assert.Equal(("rung", true), (rung.ParamName, rung.Message.Contains("runs at rung 0, not at rung 1", StringComparison.Ordinal)));
        var nan = Assert.Throws<ArgumentException>(() => asha.Report(job.TrialKey, 0, double.NaN));
        Assert.Equal(("objective", true), (nan.ParamName, nan.Message.Contains("ReportFailure", StringComparison.Ordinal)));
        Assert.Equal(job, Assert.Single(asha.InFlight)); // refused reports change nothing
        asha.Report(job.TrialKey, 0, 1);
        Assert.Contains("already reported", Assert.Throws<InvalidOperationException>(() => asha.Report(job.TrialKey, 0, 2)).Message, StringComparison.Ordinal);
        Assert.Contains("already reported", Assert.Throws<InvalidOperationException>(() => asha.ReportFailure(job.TrialKey, 0, "x")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => asha.Withdraw(12345));
    }
}
