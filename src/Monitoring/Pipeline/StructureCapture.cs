using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// Keeps, frame after frame, what a 3D view of a run shows: the latest frame's largest crystalline cluster and the rows
/// around it (<see cref="RunStructure"/>). <see cref="Capture"/> runs in the summariser on every frame, on the positions,
/// labels and clusters it has already computed; <see cref="Latest"/> answers a viewer, from any thread.
/// </summary>
/// <remarks>
/// <para>
/// A row is kept when it is in the largest cluster or within <c>Rg + 2 × neighbour cutoff</c> of the cluster's centre
/// (a frame without a cluster: every row, around the box's centre), up to <see cref="RunStructure.MaxCap"/> rows, the
/// cluster's first, then the nearest. Each row gets one sort key — the tier (cluster or not) over the squared distance
/// over the row — so one selection keeps the right rows and one sort at request time orders them: a viewer's smaller
/// cap takes a prefix.
/// </para>
/// <para>
/// Cost per frame: one pass over the rows (a minimum image and a compare each), a linear-time selection only when more
/// than <see cref="RunStructure.MaxCap"/> rows qualify, then a copy of the kept rows. Buffers grow to the largest frame
/// seen and are reused: a run's frames allocate nothing after its first. The capture fills a back buffer and swaps it in
/// under a lock, which a request holds while it copies the front one out.
/// </para>
/// </remarks>
public sealed class StructureCapture
{
    private const ulong RowMask = 0xFFFF_FFFF;
    private const uint SurroundingTier = 1u << 31; // above every distance: cluster rows sort first

    private readonly string _model;
    private readonly IReadOnlyList<string> _classes;
    private readonly IReadOnlyList<string> _crystallineClasses;
    private readonly double _shellMargin;
    private readonly Lock _gate = new();
    private ulong[] _keys = [];
    private Snapshot _back = new();
    private Snapshot? _front;

    /// <param name="neighborCutoff">The model's neighbour cutoff: the shell reaches two of them beyond the cluster's radius of gyration.</param>
    public StructureCapture(string model, IReadOnlyList<string> classes, IReadOnlyList<string> crystallineClasses, double neighborCutoff)
    {
        if (!(neighborCutoff > 0) || !double.IsFinite(neighborCutoff))
            throw new ArgumentOutOfRangeException(nameof(neighborCutoff), neighborCutoff, "the neighbour cutoff must be positive");
        _model = model;
        _classes = classes;
        _crystallineClasses = crystallineClasses;
        _shellMargin = 2 * neighborCutoff;
    }

    /// <summary>
    /// Keeps <paramref name="frame"/>'s neighbourhood of its largest cluster. Row r sits at (x, y, z)[r] on frame atom
    /// <paramref name="atoms"/>[r] (for its element), is of class <paramref name="labels"/>[r] (negative: undefined) and
    /// is in the largest cluster when <paramref name="clusters"/> gives it cluster 1. One call at a time.
    /// </summary>
    public void Capture(string runId, Frame frame, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<int> atoms,
        ReadOnlySpan<int> labels, ClusterResult? clusters)
    {
        int n = labels.Length;
        if (x.Length != n || y.Length != n || z.Length != n || atoms.Length != n)
            throw new ArgumentException($"frame {frame.Index}: {n} labels for {x.Length} positions and {atoms.Length} atoms");
        var cell = frame.Box.HasCell ? new PeriodicCell(frame.Box) : null;
        var largest = clusters?.Largest;
        var member = largest is null ? ReadOnlySpan<int>.Empty : clusters!.ClusterIds;
        var center = largest?.CenterOfMass ?? MiddleOf(frame.Box, x, y, z);
        double? shell = largest is { } l ? l.RadiusOfGyration + _shellMargin : null;
        double reach = shell is { } radius ? radius * radius : double.PositiveInfinity;

        if (_keys.Length < n) _keys = new ulong[n];
        int candidates = 0;
        for (int r = 0; r < n; r++)
        {
            var d = Offset(cell, center, x[r], y[r], z[r]);
            double d2 = d.Dot(d);
            bool inCluster = !member.IsEmpty && member[r] == 1;
            if (!inCluster && !(d2 <= reach)) continue;
            uint tier = inCluster ? 0 : SurroundingTier;
            _keys[candidates++] = ((ulong)(tier | BitConverter.SingleToUInt32Bits((float)d2)) << 32) | (uint)r;
        }
        var kept = _keys.AsSpan(0, candidates);
        if (candidates > RunStructure.MaxCap)
        {
            SelectSmallest(kept, RunStructure.MaxCap);
            kept = kept[..RunStructure.MaxCap];
        }

        var back = _back;
        back.Fill(runId, frame, center, shell, largest?.Size ?? 0, n, candidates);
        back.Reserve(kept.Length);
        var (elements, names) = ElementsOf(frame);
        for (int s = 0; s < kept.Length; s++)
        {
            int r = (int)(kept[s] & RowMask);
            var d = Offset(cell, center, x[r], y[r], z[r]);
            back.X[s] = (float)d.X;
            back.Y[s] = (float)d.Y;
            back.Z[s] = (float)d.Z;
            back.Labels[s] = labels[r] >= 0 ? labels[r] : RunStructure.Undefined;
            back.InCluster[s] = !member.IsEmpty && member[r] == 1;
            back.Elements[s] = names is null ? -1 : ElementCode(frame, elements, atoms[r]);
            back.Keys[s] = (kept[s] & ~RowMask) | (uint)s; // ordered as the row was, pointing at its slot
        }
        back.Count = kept.Length;
        back.ElementNames = names;
        lock (_gate) (_front, _back) = (back, _front ?? new Snapshot());
    }

    /// <summary>The latest frame's neighbourhood, at most <paramref name="cap"/> rows; null before the first frame.</summary>
    public RunStructure? Latest(int cap)
    {
        RunStructure.CheckCap(cap);
        lock (_gate) return _front?.ToStructure(_model, _classes, _crystallineClasses, cap);
    }

    /// <summary>The displacement from <paramref name="center"/>, its minimum image in a periodic cell.</summary>
    private static Vector3d Offset(PeriodicCell? cell, Vector3d center, float x, float y, float z)
    {
        var d = new Vector3d(x - center.X, y - center.Y, z - center.Z);
        return cell is null ? d : cell.MinimumImage(d);
    }

    /// <summary>The centre of the cell, or of the rows' bounding box when the frame has no cell.</summary>
    private static Vector3d MiddleOf(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        if (box.HasCell) return box.ToCartesian(0.5, 0.5, 0.5);
        if (x.IsEmpty) return Vector3d.Zero;
        return new Vector3d(Middle(x), Middle(y), Middle(z));

        static double Middle(ReadOnlySpan<float> v)
        {
            float lo = v[0], hi = v[0];
            foreach (float a in v)
            {
                lo = MathF.Min(lo, a);
                hi = MathF.Max(hi, a);
            }
            return 0.5 * ((double)lo + hi);
        }
    }

    /// <summary>The frame's element names: its element column's labels, else the type names it gives (XYZ species).</summary>
    private static (FrameColumn? Column, IReadOnlyList<string>? Names) ElementsOf(Frame frame) =>
        frame.Column("element") is { Labels: { } labels } column ? (column, labels) : (null, frame.TypeNames);

    private static int ElementCode(Frame frame, FrameColumn? column, int atom) => column is not null ? (int)column.Values[atom] : frame.Types[atom] - 1;

    /// <summary>Reorders <paramref name="keys"/> so that its first <paramref name="k"/> are its smallest (in no order): Hoare's selection.</summary>
    internal static void SelectSmallest(Span<ulong> keys, int k)
    {
        int lo = 0, hi = keys.Length - 1;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            // Median of three as the pivot: sorted or reversed keys do not degrade to quadratic time.
            if (keys[mid] < keys[lo]) (keys[mid], keys[lo]) = (keys[lo], keys[mid]);
            if (keys[hi] < keys[lo]) (keys[hi], keys[lo]) = (keys[lo], keys[hi]);
            if (keys[hi] < keys[mid]) (keys[hi], keys[mid]) = (keys[mid], keys[hi]);
            ulong pivot = keys[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }
            // [lo, j] ≤ pivot ≤ [i, hi]; the k-th smallest (index k - 1) lies in one side, or between them already placed.
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else return;
        }
    }

    /// <summary>One frame's kept rows, in slots; reused from frame to frame.</summary>
    private sealed class Snapshot
    {
        private string _runId = "";
        private long _frame;
        private long _step;
        private double? _time;
        private Vector3d _center;
        private SimulationBox _box;
        private double? _shell;
        private int _clusterSize;
        private int _rows;
        private int _candidates;

        public ulong[] Keys { get; private set; } = [];
        public float[] X { get; private set; } = [];
        public float[] Y { get; private set; } = [];
        public float[] Z { get; private set; } = [];
        public int[] Labels { get; private set; } = [];
        public bool[] InCluster { get; private set; } = [];
        public int[] Elements { get; private set; } = [];
        public int Count { get; set; }
        public IReadOnlyList<string>? ElementNames { get; set; }

        public void Fill(string runId, Frame frame, Vector3d center, double? shell, int clusterSize, int rows, int candidates)
        {
            (_runId, _frame, _step, _time, _box) = (runId, frame.Index, frame.Step, frame.Time, frame.Box);
            (_center, _shell, _clusterSize, _rows, _candidates) = (center, shell, clusterSize, rows, candidates);
        }

        public void Reserve(int count)
        {
            if (Keys.Length >= count) return;
            Keys = new ulong[count];
            X = new float[count];
            Y = new float[count];
            Z = new float[count];
            Labels = new int[count];
            InCluster = new bool[count];
            Elements = new int[count];
        }

        public RunStructure ToStructure(string model, IReadOnlyList<string> classes, IReadOnlyList<string> crystallineClasses, int cap)
        {
            var order = Keys.AsSpan(0, Count).ToArray();
            Array.Sort(order);
            int take = Math.Min(cap, Count);
            var (x, y, z) = (new float[take], new float[take], new float[take]);
            var (labels, inCluster) = (new int[take], new bool[take]);
            var elements = ElementNames is null ? null : new string[take];
            for (int i = 0; i < take; i++)
            {
                int s = (int)(order[i] & RowMask);
                (x[i], y[i], z[i]) = (Compact(X[s]), Compact(Y[s]), Compact(Z[s]));
                (labels[i], inCluster[i]) = (Labels[s], InCluster[s]);
                if (elements is not null) elements[i] = Elements[s] >= 0 && Elements[s] < ElementNames!.Count ? ElementNames[Elements[s]] : "";
            }
            return new RunStructure
            {
                RunId = _runId,
                Frame = _frame,
                Step = _step,
                Time = _time,
                Model = model,
                Classes = classes,
                CrystallineClasses = crystallineClasses,
                Center = [_center.X, _center.Y, _center.Z],
                Box = _box.HasCell ? StructureBox.Of(_box) : null,
                ClusterSize = _clusterSize,
                RowsInFrame = _rows,
                RowsInShell = _candidates,
                ShellRadius = _shell,
                Truncated = _candidates > take,
                Cap = cap,
                X = x,
                Y = y,
                Z = z,
                ClassIndex = labels,
                InCluster = inCluster,
                Element = elements,
            };
        }

        /// <summary>Thousandths of a length unit: what a view can show, and a third of the digits in JSON.</summary>
        private static float Compact(float v) => (float)Math.Round(v, 3);
    }
}
