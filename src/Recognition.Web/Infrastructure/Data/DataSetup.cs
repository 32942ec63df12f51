using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Web.Infrastructure.Data;

/// <summary>Thrown for configuration a person must fix; Program prints the message instead of a stack trace.</summary>
public sealed class ConfigurationProblem(string message) : Exception(message);

/// <summary>A migration that cannot be applied (changed after it was applied, failed, or locked out); printed as one line.</summary>
public sealed class MigrationException(string message) : Exception(message);

public static class DataSetup
{
    public static WebApplicationBuilder AddRecognitionData(this WebApplicationBuilder builder)
    {
        var db = CreateDb(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(_ => db); // registered by factory so the container disposes it (closing the writer connection)
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static Db CreateDb(IConfiguration config, string contentRoot)
    {
        var providerText = config["Database:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<DbProvider>(providerText, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new ConfigurationProblem(
                $"Database:Provider is '{providerText}'. Use 'Sqlite' (embedded, the default) or 'SqlServer'.");
        }
        var dialect = Dialects.For(provider);
        return new Db(provider, dialect.ResolveConnectionString(config.GetConnectionString("Recognition"), contentRoot));
    }

    /// <summary>Applies migrations at start-up (Database:MigrateOnStartup, default true) and turns failures into plain messages.</summary>
    public static Task MigrateRecognitionDataAsync(this WebApplication app) =>
        app.WithDatabaseAsync(async migrator =>
        {
            if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
            {
                await migrator.MigrateAsync();
                return;
            }
            var status = await migrator.StatusAsync();
            if (status.Changed.Count > 0)
            {
                throw new MigrationException($"Migration {string.Join(", ", status.Changed)} was changed after it was applied (checksum differs).");
            }
        });

    /// <summary>Runs work against the migrator; an unreachable or misconfigured database becomes a one-line <see cref="ConfigurationProblem"/>.</summary>
    public static async Task WithDatabaseAsync(this WebApplication app, Func<Migrator, Task> work)
    {
        var db = app.Services.GetRequiredService<Db>();
        try
        {
            await work(app.Services.GetRequiredService<Migrator>());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            throw new ConfigurationProblem(
                $"Cannot use the {db.Provider} database: {ex.Message} " +
                "Check Database:Provider and ConnectionStrings:Recognition (environment: Recognition__ConnectionStrings__Recognition).");
        }
    }
}
