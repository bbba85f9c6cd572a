using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>The reader contract on an XTC file written by GROMACS; the decoder itself is tested in <see cref="XtcParserTests"/>.</summary>
public sealed class XtcReaderTests : ReaderContractTests
{
    protected override string ReferenceFile => XtcFixtures.Get(XtcFixtures.Water);

    protected override TrajectoryFormat Format => TrajectoryFormats.Xtc;
}
