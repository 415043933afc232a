namespace AutoCompress.Data;

/// <summary>
/// Small deterministic generator (SplitMix64). Used instead of <see cref="Random"/> so that shuffles and
/// augmentations are reproducible across .NET versions.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>Hashes two values into one well-mixed seed.</summary>
    public static ulong Mix(ulong a, ulong b) => Finalize(Finalize(a + 0x9E3779B97F4A7C15UL) ^ b);

    public ulong NextUInt64() => Finalize(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), bound &gt; 0.</summary>
    public int NextInt(int bound)
    {
        // Lemire's multiply-shift on 32-bit draws, with rejection so the result is exactly uniform.
        ulong range = (ulong)bound;
        ulong threshold = ((1UL << 32) - range) % range;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong product = r * range;
            if ((product & 0xFFFFFFFFUL) >= threshold)
            {
                return (int)(product >> 32);
            }
        }
    }

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
