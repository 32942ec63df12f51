using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using FluentMigrator;

namespace Recognition.Web.Infrastructure.Data.Migrations;

/// <summary>One numbered migration's SQL for one engine, with the checksum that pins it once applied.</summary>
public sealed record MigrationScript(long Version, string Name, string Sql, string Checksum);

/// <summary>
/// A numbered FluentMigrator migration whose SQL is one embedded script per engine,
/// <c>migrations/&lt;engine&gt;/NNNN_name.sql</c> (the attribute's description is NNNN_name). Inside the
/// migration's transaction it runs the script, lets the engine verify the result (SQLite: foreign keys after
/// a table rebuild) and journals the script's checksum, so a file changed after it was applied is caught.
/// </summary>
public abstract class ScriptMigration : Migration
{
    public override void Up()
    {
        foreach (var dialect in Dialects.All)
        {
            var script = Script(dialect, GetType());
            IfDatabase(dialect.Name).Execute.Sql(script.Sql);
            IfDatabase(dialect.Name).Execute.WithConnection((conn, tx) =>
            {
                dialect.VerifyMigration(conn, tx, script.Name);
                conn.Execute("INSERT INTO schema_migrations (version, name, checksum, applied_utc) VALUES (@Version, @Name, @Checksum, @at)",
                    new { script.Version, script.Name, script.Checksum, at = DateTime.UtcNow }, tx);
            });
        }
    }

    public override void Down() =>
        throw new NotSupportedException("Migrations only go forward: put a correction in a new numbered migration.");

    /// <summary>
    /// Every migration of the app for one engine, in order. The scripts are embedded in the assembly, so they are read and
    /// hashed once per engine (two at most): /healthz compares them with the journal on every call, and each call used to scan
    /// every type of the assembly and hash every script again — ~300 KB of garbage per health check.
    /// </summary>
    public static IReadOnlyList<MigrationScript> All(ISqlDialect dialect) => ByEngine.GetOrAdd(dialect.Name, _ =>
        typeof(ScriptMigration).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ScriptMigration)) && !t.IsAbstract)
            .Select(t => Script(dialect, t))
            .OrderBy(s => s.Version)
            .ToList());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<MigrationScript>> ByEngine = new(StringComparer.Ordinal);

    private static MigrationScript Script(ISqlDialect dialect, Type type)
    {
        var attribute = type.GetCustomAttribute<MigrationAttribute>()
            ?? throw new MigrationException($"{type.Name} has no [Migration] attribute.");
        var name = attribute.Description + ".sql";
        if (!name.StartsWith($"{attribute.Version:0000}_", StringComparison.Ordinal))
        {
            throw new MigrationException($"{type.Name}: the description must be NNNN_name with NNNN = {attribute.Version:0000}.");
        }
        var resource = $"migrations/{dialect.Name}/{name}";
        using var stream = type.Assembly.GetManifestResourceStream(resource)
            ?? throw new MigrationException($"Migration {name} has no {dialect.Name} script ({resource}).");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sql = reader.ReadToEnd().Replace("\r\n", "\n");
        var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql))).ToLowerInvariant();
        return new MigrationScript(attribute.Version, name, sql, checksum);
    }
}
