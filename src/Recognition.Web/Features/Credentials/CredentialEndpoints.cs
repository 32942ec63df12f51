using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Credentials;

/// <summary>
/// What a third party needs to check a credential, public and read-only: the issuer's profile (/ob/issuers/{site}), its
/// keys (/ob/jwks, and each key at its <c>kid</c> address), the achievements and values credentials point to, the status
/// lists. And the person's own downloads: /me/credentials/… signed in, /pickup/{token}/… from the kiosk's QR code.
/// </summary>
public static partial class CredentialEndpoints
{
    public const string JwtType = "application/vc+jwt";

    public static IServiceCollection AddCredentials(this IServiceCollection s)
    {
        s.AddSingleton<IssuerKeys>().AddSingleton<CredentialIssuer>().AddSingleton<CredentialVerifier>().AddSingleton<PickupTokens>()
            .AddSingleton<Me.PersonalData>().AddSingleton<Me.RetentionService>().AddHostedService<Me.RetentionJob>();
        return s;
    }

    public static WebApplication MapCredentials(this WebApplication app)
    {
        var ob = app.MapGroup("/ob").AllowAnonymous();
        ob.MapGet("/issuers/{siteId:long}", async (long siteId, HttpContext ctx, Db db) =>
        {
            var row = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string Zh, string En, string? IssuerZh, string? IssuerEn, int HasLogo)?>(
                @"SELECT s.name_zh, s.name_en, sc.issuer_zh, sc.issuer_en, CASE WHEN sc.logo IS NULL THEN 0 ELSE 1 END
                  FROM sites s LEFT JOIN site_certificates sc ON sc.site_id = s.id WHERE s.id = @siteId", new { siteId }));
            if (row is not { } r) return Results.NotFound();
            var baseUrl = PublicUrl.Base(ctx);
            var id = CredentialIssuer.IssuerId(baseUrl, siteId);
            var profile = new JsonObject
            {
                ["@context"] = new JsonArray(CredentialIssuer.VcContext, CredentialIssuer.ObContext), ["id"] = id, ["type"] = new JsonArray("Profile"),
                ["name"] = Bilingual.Name(r.IssuerZh ?? r.Zh, r.IssuerEn ?? r.En), ["url"] = baseUrl,
            };
            if (r.HasLogo == 1) profile["image"] = new JsonObject { ["id"] = id + "/image", ["type"] = "Image" };
            return Results.Text(profile.ToJsonString(), "application/ld+json");
        });
        ob.MapGet("/issuers/{siteId:long}/image", async (long siteId, Printing.CertificateBranding branding) =>
            await branding.LogoAsync(siteId) is { } logo ? Results.File(logo.Bytes, logo.Type) : Results.NotFound());
        ob.MapGet("/jwks", async (HttpContext ctx, IssuerKeys keys) =>
        {
            var baseUrl = PublicUrl.Base(ctx);
            var list = (await keys.AllAsync()).Select(k => Jwk(k.PublicJwk, IssuerKeys.KidUrl(baseUrl, k.Kid))).ToArray();
            ctx.Response.Headers.CacheControl = "public, max-age=300"; // the set grows on rotation: verifiers see a new key within minutes
            return Results.Text(new JsonObject { ["keys"] = new JsonArray(list) }.ToJsonString(), "application/jwk-set+json");
        });
        ob.MapGet("/keys/{kid}", async (string kid, HttpContext ctx, IssuerKeys keys) =>
        {
            var key = kid.Length == 24 ? (await keys.AllAsync()).FirstOrDefault(k => k.Kid == kid) : null;
            if (key is not null) ctx.Response.Headers.CacheControl = "public, max-age=86400, immutable"; // a key at its id never changes
            return key is null ? Results.NotFound() : Results.Text(Jwk(key.PublicJwk, IssuerKeys.KidUrl(PublicUrl.Base(ctx), kid)).ToJsonString(), "application/jwk+json");
        });
        ob.MapGet("/achievements/{badgeId:long}", async (long badgeId, HttpContext ctx, Db db) =>
        {
            var b = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string Zh, string En, string? DZh, string? DEn)?>(
                "SELECT name_zh, name_en, description_zh, description_en FROM badges WHERE id = @badgeId", new { badgeId }));
            if (b is not { } x) return Results.NotFound();
            var name = Bilingual.Name(x.Zh, x.En);
            return Results.Text(new JsonObject
            {
                ["@context"] = new JsonArray(CredentialIssuer.VcContext, CredentialIssuer.ObContext), ["id"] = $"{PublicUrl.Base(ctx)}/ob/achievements/{badgeId}",
                ["type"] = new JsonArray("Achievement"), ["name"] = name, ["description"] = Bilingual.Name(x.DZh, x.DEn) is { Length: > 0 } d ? d : name,
                ["criteria"] = new JsonObject { ["narrative"] = name },
            }.ToJsonString(), "application/ld+json");
        });
        ob.MapGet("/achievements/{badgeId:long}/image", async (long badgeId, Db db) =>
        {
            var b = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string? Icon, string? Color)?>("SELECT icon, color FROM badges WHERE id = @badgeId", new { badgeId }));
            return b is { } x ? Results.Text(BadgeSvg(x.Icon, x.Color), "image/svg+xml") : Results.NotFound();
        });
        ob.MapGet("/values/{valueId:long}", async (long valueId, HttpContext ctx, Db db) =>
        {
            var v = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string Zh, string En, string? BZh, string? BEn)?>(
                "SELECT name_zh, name_en, behaviours_zh, behaviours_en FROM core_values WHERE id = @valueId", new { valueId }));
            return v is { } x
                ? Results.Json(new { id = $"{PublicUrl.Base(ctx)}/ob/values/{valueId}", name = Bilingual.Name(x.Zh, x.En), behaviours = Bilingual.Name(x.BZh, x.BEn) })
                : Results.NotFound();
        });
        ob.MapGet("/status/{siteId:long}/{list:long}", async (long siteId, long list, HttpContext ctx, CredentialVerifier verifier) =>
            await verifier.StatusListAsync(siteId, list, PublicUrl.Base(ctx)) is { } jwt ? Results.Text(jwt, JwtType) : Results.NotFound());

        app.MapGet("/me/credentials/{kind}/{id:long}", (string kind, long id, bool? words, HttpContext ctx, CredentialIssuer issuer) =>
            DownloadAsync(issuer, ctx.User.EmployeeId(), kind, id, words == true, ctx)).RequireAuthorization(Policies.Employee);
        app.MapGet("/pickup/{token}/{kind}/{id:long}", (string token, string kind, long id, bool? words, HttpContext ctx, CredentialIssuer issuer, PickupTokens tokens) =>
            tokens.Read(token) is { } me ? DownloadAsync(issuer, me, kind, id, words == true, ctx) : Task.FromResult(Results.NotFound())).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> DownloadAsync(CredentialIssuer issuer, long me, string kind, long id, bool words, HttpContext ctx)
    {
        var issued = await issuer.IssueAsync(me, kind, id, words, PublicUrl.Base(ctx));
        return issued is null ? Results.NotFound() : Results.File(System.Text.Encoding.ASCII.GetBytes(issued.Jwt), JwtType, $"badge-{kind}-{id}.jwt");
    }

    private static JsonObject Jwk(string stored, string kid)
    {
        var jwk = JsonNode.Parse(stored)!.AsObject();
        jwk["kid"] = kid;
        return jwk;
    }

    /// <summary>The badge's icon on its own as an SVG in the badge's colour (a credential's achievement image).</summary>
    public static string BadgeSvg(string? icon, string? color)
    {
        var stroke = color is not null && HexColour().IsMatch(color) ? color : "#1f4e79";
        var body = string.Concat(BadgeIcons.Symbol(icon).Elements().Select(e => new System.Xml.Linq.XElement(e) { Name = System.Xml.Linq.XName.Get(e.Name.LocalName, "http://www.w3.org/2000/svg") }.ToString(System.Xml.Linq.SaveOptions.DisableFormatting)));
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" width=\"240\" height=\"240\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{body}</svg>";
    }

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColour();
}

/// <summary>
/// The kiosk's "keep your badges" QR code: a link that lets a phone fetch the signed-in person's credentials for ten
/// minutes, without an account or e-mail. The token is encrypted and time-limited (Data Protection); nothing is stored.
/// </summary>
public sealed class PickupTokens(IDataProtectionProvider protection)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Recognition.Credentials.Pickup.v1").ToTimeLimitedDataProtector();

    public string Make(long employeeId) => _protector.Protect(employeeId.ToString(System.Globalization.CultureInfo.InvariantCulture), Lifetime);

    public long? Read(string? token)
    {
        if (token is not { Length: > 0 and <= 400 }) return null;
        try
        {
            return long.Parse(_protector.Unprotect(token), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
