using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Scim;

/// <summary>
/// SCIM 2.0 (RFC 7643/7644) at /scim/v2 for the directory (Entra ID, Okta, …): discovery, Users and Groups, each request
/// scoped to the site of its bearer token. Refusals are SCIM error documents.
/// </summary>
public static class ScimModule
{
    public const string Policy = "Scim";

    public static IServiceCollection AddScim(this IServiceCollection s)
    {
        s.AddSingleton<ScimUsers>().AddSingleton<ScimGroups>().AddSingleton<ScimTokens>();
        s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ScimAuthHandler>(ScimAuthHandler.SchemeName, null);
        s.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(ScimAuthHandler.SchemeName).RequireClaim(ScimAuthHandler.TokenClaim));
        return s;
    }

    public static IEndpointRouteBuilder MapScim(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/scim/v2").RequireAuthorization(Policy).AddEndpointFilter(Errors).DisableAntiforgery();

        g.MapGet("/ServiceProviderConfig", (HttpContext http) => ScimJson.Json(Discovery.ServiceProviderConfig(Base(http))));
        g.MapGet("/ResourceTypes", (HttpContext http) => ScimJson.Json(Discovery.List(Discovery.ResourceTypes(Base(http)))));
        g.MapGet("/ResourceTypes/{name}", (HttpContext http, string name) =>
            Discovery.ResourceTypes(Base(http)).FirstOrDefault(r => (string?)r["name"] == name) is { } rt ? ScimJson.Json(rt) : throw new ScimError(404, null, "No such resource type."));
        g.MapGet("/Schemas", () => ScimJson.Json(Discovery.List(Discovery.Schemas())));
        g.MapGet("/Schemas/{id}", (string id) =>
            Discovery.Schemas().FirstOrDefault(s => (string?)s["id"] == id) is { } schema ? ScimJson.Json(schema) : throw new ScimError(404, null, "No such schema."));

        g.MapGet("/Users", async (HttpContext http, ScimUsers users, string? filter, int? startIndex, int? count) =>
        {
            var start = Math.Max(1, startIndex ?? 1);
            var (rows, total) = await users.ListAsync(Site(http), filter, start, count ?? 100);
            return ScimJson.Json(Discovery.List(rows.Select(r => ScimUsers.ToJson(r, Base(http))), total, start));
        });
        g.MapGet("/Users/{id:long}", async (HttpContext http, ScimUsers users, long id) =>
            await users.FindAsync(Site(http), id) is { } u ? ScimJson.Json(ScimUsers.ToJson(u, Base(http))) : throw ScimUsers.NotFound(id));
        g.MapPost("/Users", async (HttpContext http, ScimUsers users, TimeProvider clock) =>
        {
            var u = await users.CreateAsync(Site(http), await ScimJson.ReadObjectAsync(http.Request), Ip(http), clock.GetUtcNow().UtcDateTime);
            var json = ScimUsers.ToJson(u, Base(http));
            http.Response.Headers.Location = (string?)json["meta"]!["location"];
            return ScimJson.Json(json, StatusCodes.Status201Created);
        });
        g.MapPut("/Users/{id:long}", async (HttpContext http, ScimUsers users, TimeProvider clock, long id) =>
            ScimJson.Json(ScimUsers.ToJson(await users.ReplaceAsync(Site(http), id, await ScimJson.ReadObjectAsync(http.Request), Ip(http), clock.GetUtcNow().UtcDateTime), Base(http))));
        g.MapPatch("/Users/{id:long}", async (HttpContext http, ScimUsers users, TimeProvider clock, long id) =>
            ScimJson.Json(ScimUsers.ToJson(await users.PatchAsync(Site(http), id, await ScimJson.ReadObjectAsync(http.Request), Ip(http), clock.GetUtcNow().UtcDateTime), Base(http))));
        g.MapDelete("/Users/{id:long}", async (HttpContext http, ScimUsers users, TimeProvider clock, long id) =>
        {
            await users.DeactivateAsync(Site(http), id, Ip(http), clock.GetUtcNow().UtcDateTime);
            return Results.NoContent();
        });

        g.MapGet("/Groups", async (HttpContext http, ScimGroups groups, string? filter, int? startIndex, int? count, string? excludedAttributes) =>
        {
            var start = Math.Max(1, startIndex ?? 1);
            var (rows, total) = await groups.ListAsync(Site(http), filter, start, count ?? 100, WithMembers(excludedAttributes), Base(http));
            return ScimJson.Json(Discovery.List(rows, total, start));
        });
        g.MapGet("/Groups/{id:long}", async (HttpContext http, ScimGroups groups, long id, string? excludedAttributes) =>
            await groups.GetAsync(Site(http), id, WithMembers(excludedAttributes), Base(http)) is { } grp ? ScimJson.Json(grp) : throw ScimUsers.NotFound(id));
        g.MapPost("/Groups", async (HttpContext http, ScimGroups groups, TimeProvider clock) =>
        {
            var id = await groups.CreateAsync(Site(http), await ScimJson.ReadObjectAsync(http.Request), Ip(http), clock.GetUtcNow().UtcDateTime);
            var json = (await groups.GetAsync(Site(http), id, true, Base(http)))!;
            http.Response.Headers.Location = (string?)json["meta"]!["location"];
            return ScimJson.Json(json, StatusCodes.Status201Created);
        });
        g.MapPatch("/Groups/{id:long}", async (HttpContext http, ScimGroups groups, TimeProvider clock, long id) =>
        {
            await groups.PatchAsync(Site(http), id, await ScimJson.ReadObjectAsync(http.Request), Ip(http), clock.GetUtcNow().UtcDateTime);
            return Results.NoContent();
        });
        g.MapPut("/Groups/{id:long}", async (HttpContext http, ScimGroups groups, TimeProvider clock, long id) =>
        {
            await groups.ReplaceAsync(Site(http), id, await ScimJson.ReadObjectAsync(http.Request), Ip(http), clock.GetUtcNow().UtcDateTime);
            return ScimJson.Json((await groups.GetAsync(Site(http), id, true, Base(http)))!);
        });
        g.MapDelete("/Groups/{id:long}", async (HttpContext http, ScimGroups groups, TimeProvider clock, long id) =>
        {
            await groups.DeactivateAsync(Site(http), id, Ip(http), clock.GetUtcNow().UtcDateTime);
            return Results.NoContent();
        });
        return app;
    }

    private static async ValueTask<object?> Errors(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        try
        {
            return await next(ctx);
        }
        catch (ScimError e)
        {
            await ScimJson.WriteErrorAsync(ctx.HttpContext.Response, e.Status, e.ScimType, e.Message);
            return Results.Empty;
        }
        catch (BadHttpRequestException e)
        {
            await ScimJson.WriteErrorAsync(ctx.HttpContext.Response, e.StatusCode, e.StatusCode == 413 ? null : "invalidSyntax", e.Message);
            return Results.Empty;
        }
    }

    private static bool WithMembers(string? excluded) => !(excluded ?? "").Split(',').Any(a => a.Trim().Equals("members", StringComparison.OrdinalIgnoreCase));

    private static long Site(HttpContext http) => http.User.SiteId();

    private static string? Ip(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static string Base(HttpContext http) => PublicUrl.Base(http);
}

/// <summary>What the directory reads first: the service's capabilities, resource types and schemas (RFC 7643 5–7).</summary>
public static class Discovery
{
    public static JsonObject List(IEnumerable<JsonNode> items, int? total = null, int start = 1)
    {
        var arr = new JsonArray(items.Select(i => (JsonNode?)i.DeepClone()).ToArray());
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.ListResponse),
            ["totalResults"] = total ?? arr.Count,
            ["startIndex"] = start,
            ["itemsPerPage"] = arr.Count,
            ["Resources"] = arr,
        };
    }

    public static JsonObject ServiceProviderConfig(string baseUrl) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
        ["documentationUri"] = baseUrl + "/",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ScimUsers.MaxPage },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken", ["name"] = "Bearer token",
            ["description"] = "A token created per site in Admin › Sign-in and provisioning.", ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = baseUrl + "/scim/v2/ServiceProviderConfig" },
    };

    public static IReadOnlyList<JsonObject> ResourceTypes(string baseUrl) =>
    [
        new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
            ["id"] = "User", ["name"] = "User", ["endpoint"] = "/Users", ["schema"] = ScimSchemas.User,
            ["schemaExtensions"] = new JsonArray(new JsonObject { ["schema"] = ScimSchemas.Enterprise, ["required"] = false }),
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/scim/v2/ResourceTypes/User" },
        },
        new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
            ["id"] = "Group", ["name"] = "Group", ["endpoint"] = "/Groups", ["schema"] = ScimSchemas.Group,
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/scim/v2/ResourceTypes/Group" },
        },
    ];

    public static IReadOnlyList<JsonObject> Schemas() =>
    [
        Schema(ScimSchemas.User, "User", "A person of the site",
            Attr("userName", "string", required: true, uniqueness: "server"), Attr("externalId", "string", caseExact: true), Attr("displayName", "string"),
            Complex("name", Attr("formatted", "string"), Attr("givenName", "string"), Attr("familyName", "string")),
            Attr("active", "boolean"), Attr("preferredLanguage", "string"),
            Complex("emails", true, Attr("value", "string"), Attr("type", "string"), Attr("primary", "boolean"))),
        Schema(ScimSchemas.Enterprise, "EnterpriseUser", "Enterprise user",
            Attr("employeeNumber", "string"), Attr("department", "string"), Attr("hireDate", "dateTime"), Complex("manager", Attr("value", "string"))),
        Schema(ScimSchemas.Group, "Group", "A team of the site",
            Attr("displayName", "string", required: true), Complex("members", true, Attr("value", "string"), Attr("display", "string"))),
    ];

    private static JsonObject Schema(string id, string name, string description, params JsonObject[] attributes) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Schema"),
        ["id"] = id, ["name"] = name, ["description"] = description,
        ["attributes"] = new JsonArray(attributes.Select(a => (JsonNode?)a).ToArray()),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = "/scim/v2/Schemas/" + id },
    };

    private static JsonObject Attr(string name, string type, bool required = false, bool caseExact = false, string uniqueness = "none") => new()
    {
        ["name"] = name, ["type"] = type, ["multiValued"] = false, ["required"] = required, ["caseExact"] = caseExact,
        ["mutability"] = "readWrite", ["returned"] = "default", ["uniqueness"] = uniqueness,
    };

    private static JsonObject Complex(string name, params JsonObject[] sub) => Complex(name, false, sub);

    private static JsonObject Complex(string name, bool multi, params JsonObject[] sub) => new()
    {
        ["name"] = name, ["type"] = "complex", ["multiValued"] = multi, ["required"] = false, ["mutability"] = "readWrite", ["returned"] = "default",
        ["subAttributes"] = new JsonArray(sub.Select(a => (JsonNode?)a).ToArray()),
    };
}
