using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Claims;

namespace Recognition.Web.Features.Api;

/// <summary>The request body of POST /api/v1/behaviours.</summary>
public sealed record BehaviourReport(string? Rule, string? EmployeeNo, DateTimeOffset? OccurredAt, string? Evidence, string? Link);

/// <summary>
/// /api/v1 for the plant's systems (OpenAPI at /api/v1/openapi.json): an MES, quality or ticket system reports that a
/// behaviour happened, and it becomes a claim that follows the rule's approval, caps and points as a person's would;
/// BI reads recognitions, ledger entries and orders after a cursor, with the pages' site scope and privacy rules.
/// </summary>
public static class ApiModule
{
    public const string Policy = "Api";

    public static IServiceCollection AddApi(this IServiceCollection s)
    {
        s.AddSingleton<ApiTokens>().AddSingleton<ApiRateLimit>().AddSingleton<ApiReads>();
        s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiAuthHandler>(ApiAuthHandler.SchemeName, null);
        s.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(ApiAuthHandler.SchemeName).RequireClaim(ApiAuthHandler.TokenClaim));
        s.AddOpenApi("v1", o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true);
        return s;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.MapOpenApi("/api/{documentName}/openapi.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policy).DisableAntiforgery()
            .AddEndpointFilter(async (ctx, next) =>
            {
                var http = ctx.HttpContext;
                http.Response.Headers.CacheControl = "no-store";
                var token = long.Parse(http.User.FindFirst(ApiAuthHandler.TokenClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
                if (!http.RequestServices.GetRequiredService<ApiRateLimit>().Take(token, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()))
                {
                    http.Response.Headers.RetryAfter = "1";
                    return ApiProblems.Result(429, "rate-limit", "This token made too many requests this second.");
                }
                return await next(ctx);
            });
        api.MapPost("/behaviours", ReportAsync).WithName("ReportBehaviour").WithSummary("Report that a behaviour rule happened for an employee")
            .Accepts<BehaviourReport>("application/json").Produces(201).Produces(200).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(422)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 * 1024));
        api.MapGet("/recognitions", (HttpContext http, ApiReads reads, long? after, int? limit) => ReadAsync(http, after, limit, reads.RecognitionsAsync))
            .WithName("ListRecognitions").WithSummary("Public recognitions at the token's site after a cursor");
        api.MapGet("/ledger", (HttpContext http, ApiReads reads, long? after, int? limit) => ReadAsync(http, after, limit, reads.LedgerAsync))
            .WithName("ListLedger").WithSummary("Ledger entries at the token's site after a cursor (people off the boards left out)");
        api.MapGet("/orders", (HttpContext http, ApiReads reads, long? after, int? limit) => ReadAsync(http, after, limit, reads.OrdersAsync))
            .WithName("ListOrders").WithSummary("Reward orders at the token's site after a cursor");
        return app;
    }

    private static async Task<IResult> ReadAsync(HttpContext http, long? after, int? limit, Func<long, long, int, Task<ApiPage>> read)
    {
        if (http.User.FindFirst(ApiAuthHandler.ReadClaim) is null) return ApiProblems.Result(403, "scope", "This token may not read.");
        if (after is < 0 || limit is < 1 or > 1000) return ApiProblems.Result(400, "paging", "after must be ≥ 0 and limit between 1 and 1000.");
        return Results.Ok(await read(http.User.SiteId(), after ?? 0, limit ?? 100));
    }

    private static async Task<IResult> ReportAsync(HttpContext http, ClaimService claims, Db db, TimeProvider clock, IStringLocalizer<SharedResource> l)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is < 8 or > 80 || !Idempotency.IsValidKey(key)) return ApiProblems.Result(400, "idempotency-key", "An Idempotency-Key header of 8–80 letters, digits, - or _ is required.");
        BehaviourReport? body;
        try { body = await http.Request.ReadFromJsonAsync<BehaviourReport>(http.RequestAborted); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException) { return ApiProblems.Result(400, "body", "The body must be JSON: {rule, employeeNo, occurredAt, evidence, link}."); }
        var errors = new Dictionary<string, string>();
        if (body?.Rule is not { Length: > 0 and <= 64 }) errors["rule"] = "required: a behaviour rule's code";
        if (body?.EmployeeNo is not { Length: > 0 and <= 64 }) errors["employeeNo"] = "required";
        if (body?.Link is { } link && (link.Length > 500 || !Uri.TryCreate(link, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))) errors["link"] = "an http(s) address of at most 500 characters";
        var now = clock.GetUtcNow();
        if (body?.OccurredAt is { } at && (at > now.AddMinutes(5) || at < now.AddDays(-30))) errors["occurredAt"] = "within the last 30 days, not in the future";
        if (errors.Count > 0) return ApiProblems.Result(400, "body", "Some fields are missing or not valid.", errors);
        if (!http.User.HasClaim(ApiAuthHandler.RuleClaim, body!.Rule!)) return ApiProblems.Result(403, "rule-scope", $"This token may not report the rule {body.Rule}.");

        var site = http.User.SiteId();
        var target = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long Employee, long Rule)?>(
            @"SELECT e.id, r.id FROM employees e, behaviour_rules r
              WHERE e.site_id = @site AND UPPER(e.employee_no) = UPPER(@no) AND e.active = 1 AND r.code = @rule AND r.active = 1 AND r.claimable = 1",
            new { site, no = body.EmployeeNo, rule = body.Rule }));
        if (target is not { } t) return ApiProblems.Result(404, "not-found", $"No active employee {body.EmployeeNo} at this site, or no active rule {body.Rule}.");
        var token = long.Parse(http.User.FindFirst(ApiAuthHandler.TokenClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var evidence = (body.Evidence ?? "") + (body.Link is { } l2 ? $"\n{l2}" : "");
        var outcome = await claims.SubmitAsync(new ClaimCommand(t.Employee, t.Rule, evidence, null, null, $"api{token}-{key}", token, body.OccurredAt?.UtcDateTime), now.UtcDateTime);
        if (!outcome.Ok) return ApiProblems.Result(422, outcome.Error!.Replace("Error.", "", StringComparison.Ordinal).ToLowerInvariant(), l[outcome.Error!, outcome.Args].Value);
        var state = await db.ReadAsync(c => c.QuerySingleAsync<(string Status, long Points)>("SELECT status, points_awarded FROM claims WHERE id = @id", new { id = outcome.Id }));
        var result = new { claimId = outcome.Id, status = state.Status, points = state.Points };
        return outcome.Duplicate ? Results.Ok(result) : Results.Created($"/api/v1/behaviours/{outcome.Id}", result);
    }
}
