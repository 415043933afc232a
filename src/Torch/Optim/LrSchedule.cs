namespace AutoCompress.Torch.Optim;

/// <summary>A learning rate as a function of the step (or epoch) index; <see cref="Apply"/> sets it on an optimizer.</summary>
public abstract class LrSchedule
{
    /// <summary>The learning rate at step <c>step</c> (0-based).</summary>
    public abstract double At(long step);

    /// <summary>Sets the optimizer's learning rate for step <c>step</c> and returns it.</summary>
    public double Apply(Optimizer optimizer, long step)
    {
        var lr = At(step);
        optimizer.LearningRate = lr;
        return lr;
    }
}

/// <summary>Multiplies the base rate by <c>gamma</c> every <c>stepSize</c> steps.</summary>
public sealed class StepLr : LrSchedule
{
    private readonly double baseLr;
    private readonly long stepSize;
    private readonly double gamma;

    public StepLr(double baseLr, long stepSize, double gamma = 0.1)
    {
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "step size must be positive");
        (this.baseLr, this.stepSize, this.gamma) = (baseLr, stepSize, gamma);
    }

    public override double At(long step) => baseLr * Math.Pow(gamma, step / stepSize);
}

/// <summary>
/// Linear warm-up from 0 over <c>warmupSteps</c>, then cosine decay from the base rate
/// to <c>minLr</c> at <c>totalSteps</c>.
/// </summary>
public sealed class CosineLr : LrSchedule
{
    private readonly double baseLr;
    private readonly long totalSteps;
    private readonly long warmupSteps;
    private readonly double minLr;

    public CosineLr(double baseLr, long totalSteps, long warmupSteps = 0, double minLr = 0)
    {
        if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps >= totalSteps)
            throw new ArgumentException($"cosine schedule needs 0 <= warm-up ({warmupSteps}) < total steps ({totalSteps})");
        (this.baseLr, this.totalSteps, this.warmupSteps, this.minLr) = (baseLr, totalSteps, warmupSteps, minLr);
    }

    public override double At(long step)
    {
        if (step < warmupSteps) return baseLr * (step + 1) / warmupSteps;
        var t = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
        return minLr + (baseLr - minLr) * 0.5 * (1 + Math.Cos(Math.PI * t));
    }
}
