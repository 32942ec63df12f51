namespace Recognition.Tests.Support;

/// <summary>Runs only when RECOGNITION_TEST_SQLSERVER holds a connection string; otherwise shows as skipped.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "RECOGNITION_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"SQL Server contract test: set {Variable} to a connection string to run it.";
        }
    }
}
