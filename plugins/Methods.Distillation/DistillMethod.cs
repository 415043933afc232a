using AutoCompress.Contracts.Methods;
using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Methods;

namespace AutoCompress.Methods.Distillation;

/// <summary>
/// Trains the given model (the student) to match a teacher's softened outputs as well as the labels.
/// The student is whatever the previous method produced: a pruned network, a narrower one, or one
/// annotated for quantization, in which case its realisation fake-quantizes and this is
/// quantization-aware training with a teacher. The teacher comes from the context.
/// </summary>
public sealed class DistillMethod : CompressionMethod<DistillConfig>
{
    public override string Id => "distill";

    protected override Task<CompressionResult> RunAsync(ModelArtifact model, DistillConfig config, MethodContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        var teacherArtifact = context.Teacher
            ?? throw new ConfigException($"{Id}: the method context has no teacher; distillation needs one (MethodContext.Teacher)");
        var data = DatasetLoader.Load(context.Dataset, context.Seed);
        using var teacher = ModelArtifacts.Load(teacherArtifact);
        using var student = ModelArtifacts.Load(model);
        var teacherOut = teacher.Graph.Output.OutputShape;
        var studentOut = student.Graph.Output.OutputShape;
        if (teacherOut != studentOut)
            throw new ArgumentException($"{Id}: the teacher's output {teacherOut} differs from the student's {studentOut}");

        var metrics = new Dictionary<string, double>();
        foreach (var (k, v) in MethodKit.Measure(teacher, data, "teacher_")) metrics[k] = v;
        metrics["student_start_test_accuracy"] = Trainer.Evaluate(student, data.Test, data.Normalization).Accuracy;

        var (options, train) = MethodKit.Plan(context, data, config.Epochs ?? context.Budget.Epochs, config.LearningRate);
        teacher.Eval();
        var hooks = new TrainingHooks(Loss: (x, logits, y) =>
        {
            Tensor t;
            using (TorchEngine.NoGrad()) t = teacher.Forward(x);
            return DistillationLoss.Compute(logits, t, y, config.Temperature, config.Alpha, config.LabelSmoothing);
        });
        context.Log?.Report($"{Id}: T={config.Temperature} alpha={config.Alpha}, {options.Epochs} epoch(s) over {train.Count} images");
        Trainer.Train(student, train, null, data.Normalization, options, MethodKit.LogTo(context, Id), hooks, cancel);

        foreach (var (k, v) in MethodKit.Measure(student, data)) metrics[k] = v;
        Directory.CreateDirectory(context.WorkDirectory);
        var artifact = ModelArtifacts.Save(student, Path.Combine(context.WorkDirectory, "distilled.safetensors"), model.Description);
        return Task.FromResult(new CompressionResult(artifact, metrics));
    }
}
