using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Support
{
    /// <summary>
    /// The engine this build of the suite runs on. The same test files compile twice: Recognition.Tests runs
    /// them on SQLite; Recognition.Tests.SqlServer (defines SQLSERVER) runs them on SQL Server when
    /// RECOGNITION_TEST_SQLSERVER holds a connection string, and reports every test as skipped otherwise.
    /// </summary>
    public static class TestEngine
    {
        public const string Variable = "RECOGNITION_TEST_SQLSERVER";
#if SQLSERVER
        public static DbProvider Provider { get; } = DbProvider.SqlServer;
#else
        public static DbProvider Provider { get; } = DbProvider.Sqlite;
#endif
        public static string? SqlServer => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs ? cs : null;

        public static string? SkipReason => Provider == DbProvider.SqlServer && SqlServer is null
            ? $"SQL Server run of the suite: set {Variable} to a connection string to run it."
            : null;
    }
}

namespace Recognition.Tests
{
    // These shadow xunit's [Fact] and [Theory] for every test under Recognition.Tests.* (a type in an enclosing
    // namespace wins over one imported by `using Xunit`), so each test skips visibly when its engine is absent.

    public class FactAttribute : Xunit.FactAttribute
    {
        public FactAttribute()
        {
            if (Support.TestEngine.SkipReason is { } reason) Skip = reason;
        }
    }

    public class TheoryAttribute : Xunit.TheoryAttribute
    {
        public TheoryAttribute()
        {
            if (Support.TestEngine.SkipReason is { } reason) Skip = reason;
        }
    }

    /// <summary>A test of the SQLite file itself (page size, WAL, a file fixture): skipped in the SQL Server run.</summary>
    public sealed class SqliteFactAttribute : FactAttribute
    {
        public SqliteFactAttribute()
        {
            if (Support.TestEngine.Provider != Web.Infrastructure.Data.DbProvider.Sqlite) Skip = "Tests the SQLite file itself; the SQLite run covers it.";
        }
    }
}
