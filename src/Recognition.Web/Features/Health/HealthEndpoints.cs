using Dapper;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Web.Features.Health;

public static class HealthEndpoints
{
    /// <summary>/healthz: 200 when the database answers and every migration is applied, else 503 with the reason.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (Db db, Migrator runner, ILoggerFactory logs) =>
        {
            try
            {
                await using (var conn = await db.OpenAsync())
                {
                    await conn.ExecuteScalarAsync<int>("SELECT 1");
                }
                var status = await runner.StatusAsync();
                var body = new
                {
                    status = status.Current ? "ok" : "migrations_pending",
                    provider = db.Provider.ToString(),
                    pending = status.Pending.Select(m => m.Name),
                    changed = status.Changed,
                };
                return Results.Json(body, statusCode: status.Current ? 200 : 503);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                logs.CreateLogger("Health").LogError(ex, "Health check: database unreachable");
                return Results.Json(new { status = "database_unreachable", provider = db.Provider.ToString(), error = ex.Message }, statusCode: 503);
            }
        }).AllowAnonymous();
        return app;
    }
}
