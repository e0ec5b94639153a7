namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>
/// The real-process engine tests run one at a time, after the parallel tests: they measure seconds-long
/// gaps with a tolerance, and the scale test fills the machine with a thousand children.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessCollection
{
    public const string Name = "real processes through the engine";
}
