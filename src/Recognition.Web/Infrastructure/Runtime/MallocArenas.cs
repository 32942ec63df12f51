using System.Runtime.InteropServices;

namespace Recognition.Web.Infrastructure.Runtime;

/// <summary>
/// glibc gives a thread that finds the C heap busy an arena of its own, up to eight per core, and gives little of it
/// back. The runtime's thread pool moves work between threads all day (cookie decryption and password hashing go
/// through OpenSSL, which allocates there), so arenas kept appearing: in the plantday bench the process's memory
/// outside the managed heap grew ~28 MB in 2.5 minutes and stayed flat at ~175 MB with two arenas. Called first thing,
/// before the thread pool starts its workers; an operator's MALLOC_ARENA_MAX wins, and elsewhere (musl, macOS,
/// Windows) this does nothing.
/// </summary>
public static class MallocArenas
{
    public const int Max = 2;
    private const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h

    // DllImport rather than LibraryImport: no unsafe code in the project for one call with two ints.
    [DllImport("libc", EntryPoint = "mallopt")]
#pragma warning disable SYSLIB1054
    private static extern int MallOpt(int option, int value);
#pragma warning restore SYSLIB1054

    /// <summary>True when the limit was set here (the bench reports it).</summary>
    public static bool Applied { get; private set; }

    public static void Limit()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"))) return;
        try { Applied = MallOpt(ArenaMaxOption, Max) == 1; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { Applied = false; }
    }
}
