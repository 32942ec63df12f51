using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Web.Features.Health;

public static class HealthEndpoints
{
    /// <summary>
    /// /healthz: 200 when the database answers and every migration is applied, else 503. The status word is for anyone
    /// (a load balancer); the details — engine, pending or changed migrations, the database error — only for a caller on
    /// this machine (the container's health check, an operator's curl) or a signed-in admin.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (HttpContext http, Db db, Migrator runner, ILoggerFactory logs) =>
        {
            var details = http.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip)
                || http.User.IsInRole(nameof(Infrastructure.Auth.Roles.Admin));
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
                return Results.Json(details ? body : new { body.status }, statusCode: status.Current ? 200 : 503);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                logs.CreateLogger("Health").LogError(ex, "Health check: database unreachable");
                return details
                    ? Results.Json(new { status = "database_unreachable", provider = db.Provider.ToString(), error = ex.Message }, statusCode: 503)
                    : Results.Json(new { status = "database_unreachable" }, statusCode: 503);
            }
        }).AllowAnonymous();
        return app;
    }
}
