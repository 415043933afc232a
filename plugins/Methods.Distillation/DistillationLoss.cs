using AutoCompress.Torch;

namespace AutoCompress.Methods.Distillation;

/// <summary>
/// Hinton et al.'s distillation objective:
/// alpha · T² · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − alpha) · CE(student, labels).
/// The T² keeps the soft term's gradients on the same scale as the hard term's when T changes.
/// </summary>
public static class DistillationLoss
{
    public static Tensor Compute(Tensor studentLogits, Tensor teacherLogits, Tensor labels, double temperature, double alpha,
        double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        ArgumentNullException.ThrowIfNull(teacherLogits);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be > 0");
        var soft = Functional.KlDiv(
            Functional.LogSoftmax(studentLogits.Div(temperature), 1),
            Functional.LogSoftmax(teacherLogits.Detach().Div(temperature), 1), Reduction.BatchMean, logTarget: true);
        var loss = soft.Mul(alpha * temperature * temperature);
        if (alpha < 1) loss = loss.Add(Functional.CrossEntropy(studentLogits, labels, labelSmoothing).Mul(1 - alpha));
        return loss;
    }
}
