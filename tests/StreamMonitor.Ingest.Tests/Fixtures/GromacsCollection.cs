using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class GromacsCollection : ICollectionFixture<GromacsWaterFixture>
{
    public const string Name = "gromacs trajectories";
}
