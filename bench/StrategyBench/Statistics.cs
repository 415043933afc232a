namespace AutoCompress.StrategyBench;

/// <summary>Summary statistics and two-sample tests (two-sided), written out so the bench needs no statistics package.</summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> x) => x.Count == 0 ? double.NaN : x.Average();

    public static double Median(IReadOnlyList<double> x)
    {
        if (x.Count == 0) return double.NaN;
        var s = x.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>Sample standard deviation (n - 1).</summary>
    public static double Std(IReadOnlyList<double> x)
    {
        if (x.Count < 2) return 0;
        var m = Mean(x);
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Count - 1));
    }

    /// <summary>Welch's unequal-variance t-test: the two-sided p-value for equal means.</summary>
    public static double WelchP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2) return double.NaN;
        double va = Std(a) * Std(a) / a.Count, vb = Std(b) * Std(b) / b.Count;
        var diff = Mean(a) - Mean(b);
        if (va + vb == 0) return diff == 0 ? 1 : 0;
        var t = diff / Math.Sqrt(va + vb);
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return RegularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /// <summary>
    /// Mann-Whitney U test: the two-sided p-value by the normal approximation with tie correction and continuity
    /// correction (fine for the 100+ runs per side the bench uses).
    /// </summary>
    public static double MannWhitneyP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        int n1 = a.Count, n2 = b.Count, n = n1 + n2;
        if (n1 == 0 || n2 == 0) return double.NaN;
        var all = a.Select(v => (Value: v, First: true)).Concat(b.Select(v => (Value: v, First: false))).OrderBy(p => p.Value).ToArray();
        double rankSumA = 0, tieTerm = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && all[j + 1].Value == all[i].Value) j++;
            var rank = (i + j) / 2.0 + 1; // average rank of the tie group, 1-based
            for (var k = i; k <= j; k++)
                if (all[k].First) rankSumA += rank;
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        var u = rankSumA - n1 * (n1 + 1) / 2.0;
        var mu = n1 * (double)n2 / 2;
        var sigma = Math.Sqrt(n1 * (double)n2 / 12 * (n + 1 - tieTerm / (n * (double)(n - 1))));
        if (sigma == 0) return 1;
        var z = Math.Max(0, Math.Abs(u - mu) - 0.5) / sigma;
        return Math.Min(1, Erfc(z / Math.Sqrt(2)));
    }

    /// <summary>The regularized incomplete beta function I_x(a, b) (continued fraction, modified Lentz).</summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2) ? front * BetaFraction(x, a, b) / a : 1 - front * BetaFraction(1 - x, b, a) / b;
    }

    private static double BetaFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300, Epsilon = 1e-15;
        double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < Tiny) d = Tiny;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 10_000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon) break;
        }
        return h;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine coefficients; about 15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var sum = c[0];
        for (var i = 1; i < 9; i++) sum += c[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>The complementary error function, from the regularized incomplete gamma function Q(1/2, x²).</summary>
    public static double Erfc(double x) => x < 0 ? 2 - Erfc(-x) : UpperGamma(0.5, x * x);

    // Q(a, x) = Γ(a, x) / Γ(a): series for x < a + 1, continued fraction otherwise (Numerical Recipes' scheme).
    private static double UpperGamma(double a, double x)
    {
        if (x <= 0) return 1;
        var logFront = -x + a * Math.Log(x) - LogGamma(a);
        if (x < a + 1)
        {
            double ap = a, sum = 1 / a, del = sum;
            for (var n = 0; n < 10_000 && Math.Abs(del) > Math.Abs(sum) * 1e-16; n++)
            {
                ap++;
                del *= x / ap;
                sum += del;
            }
            return 1 - sum * Math.Exp(logFront);
        }
        const double Tiny = 1e-300;
        double b = x + 1 - a, c = 1 / Tiny, d = 1 / b, h = d;
        for (var i = 1; i <= 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = b + an / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(logFront) * h;
    }
}
