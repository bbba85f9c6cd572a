using System.Numerics;
using StreamMonitor.Analysis.OrderParameters;

namespace StreamMonitor.Analysis.Tests;

public sealed class LaneSumsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(42)] // the q_lm accumulators of degrees 4, 6 and 8: five groups of eight and two left over
    [InlineData(64)]
    public void Each_vector_is_summed_into_its_own_place_in_single_precision(int count)
    {
        var random = new Random(count);
        var vectors = new Vector<float>[count];
        var expected = new float[count];
        for (int k = 0; k < count; k++)
        {
            var lanes = new float[Vector<float>.Count];
            // Lane values a power of two apart per vector, so a lane dropped, doubled or taken from a neighbour changes the sum.
            for (int lane = 0; lane < lanes.Length; lane++) lanes[lane] = (1 << lane) * (k + 1) + (float)random.NextDouble() * 1e-3f;
            vectors[k] = new Vector<float>(lanes);
            double exact = 0;
            foreach (float v in lanes) exact += v;
            expected[k] = (float)exact;
        }
        var sums = new float[count + 3];
        Array.Fill(sums, float.NaN);

        LaneSums.Of<float>(vectors, sums);

        for (int k = 0; k < count; k++) Assert.Equal(expected[k], sums[k], expected[k] * 1e-6f);
        Assert.All(sums[count..], s => Assert.True(float.IsNaN(s), "wrote past the sums"));
    }

    [Fact]
    public void Double_vectors_are_summed_too()
    {
        var vectors = Enumerable.Range(0, 11).Select(k => new Vector<double>(k + 0.5)).ToArray();
        var sums = new double[11];

        LaneSums.Of<double>(vectors, sums);

        for (int k = 0; k < 11; k++) Assert.Equal((k + 0.5) * Vector<double>.Count, sums[k]);
    }

    [Fact]
    public void Too_little_room_is_refused()
    {
        var vectors = new Vector<float>[9];
        Assert.Throws<ArgumentException>(() => LaneSums.Of<float>(vectors, new float[8]));
    }
}
