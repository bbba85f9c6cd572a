using StreamMonitor.Ingest.Tests.Fixtures;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>The reader contract on XTC files written by GROMACS; the decoder itself is tested in <see cref="XtcParserTests"/>.</summary>
[Collection(GromacsCollection.Name)]
public sealed class XtcReaderTests(GromacsWaterFixture gromacs) : ReaderContractTests
{
    protected override string ReferenceFile => gromacs.Get(GromacsWaterFixture.Water);

    protected override TrajectoryFormat Format => TrajectoryFormats.Xtc;
}
