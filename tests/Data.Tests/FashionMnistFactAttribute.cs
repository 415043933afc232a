namespace AutoCompress.Data.Tests;

/// <summary>A fact that is skipped, with the reason, when Fashion-MNIST is not installed in its default directory.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsAvailable())
        {
            Skip = $"Fashion-MNIST is not installed in {FashionMnist.DefaultDirectory} (apt-get install dataset-fashion-mnist provides it).";
        }
    }
}
