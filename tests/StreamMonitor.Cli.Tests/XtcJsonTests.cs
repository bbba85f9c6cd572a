using System.Text.Json;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>XTC through the command line: lengths in Å (nm × 10), time in ps, checked against MDAnalysis.</summary>
[Trait("Category", "Slow")]
public sealed class XtcJsonTests
{
    [Fact]
    public void BoxPositionsStepsAndTimesMatchMdAnalysisInAngstrom()
    {
        var xtc = XtcFixtures.Get(XtcFixtures.Water);
        var r = StreamMonitorCli.Run("frames", xtc, "--json", "--positions");
        Assert.Equal(0, r.ExitCode);
        var ours = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        using var doc = MdAnalysis.RunJson("""
            import sys, json
            from MDAnalysis.coordinates.XTC import XTCReader
            out = []
            for ts in XTCReader(sys.argv[1], refresh_offsets=True):
                out.append({'step': int(ts.data['step']), 'time': float(ts.time), 'box': ts.triclinic_dimensions.tolist(),
                            'pos': ts.positions.tolist()})
            print(json.dumps(out))
            """, xtc);
        var theirs = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(theirs.Count, ours.Count);
        for (int f = 0; f < ours.Count; f++)
        {
            Assert.Equal(theirs[f].GetProperty("step").GetInt64(), ours[f].GetProperty("step").GetInt64());
            Assert.Equal(theirs[f].GetProperty("time").GetDouble(), ours[f].GetProperty("time").GetDouble(), 1e-4);
            var box = Matrix(ours[f].GetProperty("box"));
            var theirBox = Matrix(theirs[f].GetProperty("box"));
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(theirBox[i][j], box[i][j], 1e-4);
            Assert.True(box[0][0] > 20, "a 3 nm box is 30 Å");
            var pos = Matrix(ours[f].GetProperty("positions"));
            var theirPos = Matrix(theirs[f].GetProperty("pos"));
            Assert.Equal(theirPos.Length, pos.Length);
            // Precision 1000 in nm: 0.01 Å steps; both sides decode the same integers.
            for (int a = 0; a < pos.Length; a++)
                for (int k = 0; k < 3; k++)
                    Assert.Equal(theirPos[a][k], pos[a][k], 1e-4);
        }
    }

    private static double[][] Matrix(JsonElement e) =>
        e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
}
