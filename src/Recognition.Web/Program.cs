using Recognition.Web;
using Recognition.Web.Features;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Localization;
using Recognition.Web.Infrastructure.Web;

if (args is ["sql-statements", ..])
{
    // For CI's T-SQL grammar check: every SQL Server-only statement the code holds, one per block.
    foreach (var sql in SqlServerStatements.All()) Console.WriteLine(sql + "\n-- end --");
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables("Recognition__");
try
{
    builder.AddRecognitionData()
        .AddRecognitionAuth()
        .AddRecognitionLocalization()
        .AddRecognitionWeb()
        .AddRecognitionFeatures();

    var app = builder.Build();
    await app.MigrateRecognitionDataAsync();
    if (await Commands.RunAsync(app, args) is { } exitCode) return exitCode;
    await app.SeedDemoIfEmptyAsync();

    app.UseRecognitionWeb();
    app.MapRecognitionFeatures();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is ConfigurationProblem or MigrationException)
{
    Console.Error.WriteLine($"Recognition cannot start: {ex.Message}");
    return 2;
}

public partial class Program;
