namespace AutoCompress.Contracts.Search;

/// <summary>
/// A small, fast random generator (xoshiro256**, seeded through SplitMix64) whose whole state is four numbers, so a
/// strategy can put it in its checkpoint and a resumed search draws exactly the numbers it would have drawn.
/// <see cref="System.Random"/> cannot be saved, which is why strategies use this instead.
/// </summary>
public sealed class SeededRandom
{
    private ulong s0, s1, s2, s3;

    public SeededRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private SeededRandom(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4 || state.All(v => v == 0))
            throw new ArgumentException("a random state is four numbers, not all zero", nameof(state));
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>The generator's state, to store in a checkpoint.</summary>
    public IReadOnlyList<ulong> State => [s0, s1, s2, s3];

    /// <summary>A generator continuing exactly from a saved <see cref="State"/>.</summary>
    public static SeededRandom FromState(IReadOnlyList<ulong> state) => new(state ?? throw new ArgumentNullException(nameof(state)));

    /// <summary>Uniform on [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>Uniform on [<paramref name="low"/>, <paramref name="high"/>] (inclusive), for 64-bit ranges.</summary>
    public long NextLong(long low, long high)
    {
        if (high < low) throw new ArgumentException($"empty range [{low}, {high}]");
        var span = unchecked((ulong)(high - low)) + 1;
        if (span == 0) return unchecked((long)NextUInt64()); // the full 64-bit range
        var threshold = (0UL - span) % span;
        while (true)
        {
            var r = NextUInt64();
            if (r >= threshold) return low + (long)(r % span);
        }
    }

    /// <summary>Standard normal (Box–Muller; one of the pair is discarded so the state stays four numbers).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
