using System.Reflection;

namespace Recognition.Web.Infrastructure.Runtime;

/// <summary>
/// Every frame a wall receives passes through a 4 KB pipe buffer of its connection, rented from the shared
/// <see cref="System.Buffers.ArrayPool{T}"/> (SignalR's transport pipes). One card to 5,000 walls rents 5,000 of them at
/// once, and the shared pool keeps only 32 per size per core: the rest were new arrays that lived long enough to be
/// promoted, then became garbage in generation 2, so the server's memory climbed with every card (5,000 walls, 10 cards/s:
/// ~190 gen-0 collections a minute and 550-610 MB at peak; with this, 13 and ~420 MB — bench fanout, README). Keeping up to
/// <see cref="PerCore"/> per size per core turns them into reused buffers. Set before anything rents from the pool (the
/// runtime reads it once); an operator's own value of the variable wins.
/// </summary>
public static class BufferPool
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    public const int PerCore = 4096;

    public static void Configure()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, PerCore.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>What the runtime actually uses (null if this runtime names it differently): the bench reports it.</summary>
    public static int? Effective() =>
        typeof(object).Assembly.GetType("System.Buffers.SharedArrayPoolStatics")?
            .GetField("s_maxArraysPerPartition", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as int?;
}
