using System.Buffers;
using System.Collections.ObjectModel;
using System.Numerics;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// Per-particle Steinhardt order parameters of one frame, from <see cref="Steinhardt.Compute"/>. Immutable: it owns its
/// arrays and hands out read-only views, so it can be kept, shared between threads or passed on after the frame is gone.
/// Its q_l and w_l arrays are rented from the shared pool: a caller done with them (a featurizer that has copied them
/// into its rows) disposes the result to hand them back for the next frame; one never disposed is simply collected.
/// </summary>
public sealed class SteinhardtResult : IDisposable
{
    private readonly int[] _degrees;
    private readonly double[][] _ql;
    private readonly double[][]? _wl;
    private readonly double[][]? _wlHat;
    private readonly Complex[]? _components;
    private readonly bool[] _defined;
    private bool _disposed;

    internal SteinhardtResult(int[] degrees, bool averaged, double[][] ql, double[][]? wl, double[][]? wlHat,
        int? componentsDegree, Complex[]? components, bool[] defined, int definedCount)
    {
        _degrees = degrees;
        Degrees = Array.AsReadOnly(degrees);
        Averaged = averaged;
        _ql = ql;
        _wl = wl;
        _wlHat = wlHat;
        ComponentsDegree = componentsDegree;
        _components = components;
        _defined = defined;
        DefinedCount = definedCount;
    }

    /// <summary>The degrees l computed, in the order they were asked for.</summary>
    public ReadOnlyCollection<int> Degrees { get; }

    /// <summary>True for Lechner–Dellago averaged values (q̄_l, and w̄_l and components from the averaged q̄_lm).</summary>
    public bool Averaged { get; }

    public int ParticleCount => _defined.Length;

    /// <summary>
    /// Per particle: false when it had no neighbours, fewer than the k a k-nearest list asked for, or a neighbour on top
    /// of it. Its values are then 0, as LAMMPS writes them.
    /// </summary>
    public ReadOnlySpan<bool> Defined => _defined;

    /// <summary>Number of particles with <see cref="Defined"/> set.</summary>
    public int DefinedCount { get; }

    /// <summary>q_l (or q̄_l) of every particle for degree <paramref name="degree"/>.</summary>
    public ReadOnlySpan<double> Ql(int degree) => Values(_ql, degree);

    /// <summary>Whether w_l and ŵ_l were computed.</summary>
    public bool HasWl => _wl is not null;

    /// <summary>
    /// The third-order invariant w_l = Σ (l l l; m1 m2 m3) q_lm1 q_lm2 q_lm3 (LAMMPS <c>wl</c>): it scales with the cube of
    /// the q_lm, so it depends on the normalisation; <see cref="WlHat"/> is the comparable one.
    /// </summary>
    public ReadOnlySpan<double> Wl(int degree) =>
        Values(_wl ?? throw new InvalidOperationException("w_l was not computed (construct Steinhardt with wl: true)"), degree);

    /// <summary>ŵ_l = w_l / (Σ_m |q_lm|²)^{3/2} (LAMMPS <c>wl/hat</c>; 0 where q_l &lt; 1e-6).</summary>
    public ReadOnlySpan<double> WlHat(int degree) =>
        Values(_wlHat ?? throw new InvalidOperationException("w_l was not computed (construct Steinhardt with wl: true)"), degree);

    /// <summary>The degree whose normalised q_lm vectors were kept (for solid bonds); null when none.</summary>
    public int? ComponentsDegree { get; }

    /// <summary>
    /// The normalised q_lm / |q_l| of one particle for <see cref="ComponentsDegree"/>, m = −l … l (LAMMPS <c>components</c>,
    /// same order); all zero where q_l &lt; 1e-6. Solid bonds use Re Σ_m q_lm(i) q_lm(j)*.
    /// </summary>
    public ReadOnlySpan<Complex> Components(int particle)
    {
        if (_components is null || ComponentsDegree is not { } l)
            throw new InvalidOperationException("no components were kept (construct Steinhardt with components: l)");
        int width = 2 * l + 1;
        return _components.AsSpan(particle * width, width);
    }

    /// <summary>All particles' normalised components, particle after particle (2l + 1 each).</summary>
    internal ReadOnlySpan<Complex> AllComponents => _components;

    /// <summary>Hands the q_l and w_l arrays back to the shared pool; the result answers nothing about them after it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var values in (IEnumerable<double[]>)[.. _ql, .. _wl ?? [], .. _wlHat ?? []]) ArrayPool<double>.Shared.Return(values);
    }

    /// <summary>One degree's values (the rented array holds more than the particles).</summary>
    private ReadOnlySpan<double> Values(double[][] byDegree, int degree)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return byDegree[Slot(degree)].AsSpan(0, ParticleCount);
    }

    private int Slot(int degree)
    {
        int slot = Array.IndexOf(_degrees, degree);
        return slot >= 0 ? slot : throw new ArgumentOutOfRangeException(nameof(degree), degree,
            $"degree {degree} was not computed (degrees: {string.Join(", ", _degrees)})");
    }
}
