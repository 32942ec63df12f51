using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Credentials;

/// <summary>
/// Open Badges 3.0 <c>OpenBadgeCredential</c>s (VC data model 2.0 + OB 3.0.3 contexts) signed as VC-JWT with ES256: the
/// JWT's payload is the credential itself with <c>iss</c> = issuer.id, <c>jti</c> = id, <c>nbf</c> = validFrom and
/// <c>sub</c> = credentialSubject.id (OB 3.0 §8.2). The recipient is a salted SHA-256 of the employee number (or the
/// e-mail the person added); the subject id is a fresh <c>urn:uuid</c> per credential, so two credentials cannot be linked.
/// One credential is made per person, source and choice of words, stored, and handed out again as it is.
/// </summary>
public sealed class CredentialIssuer(Db db, IssuerKeys keys, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2", ObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    public const string SchemaUrl = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

    /// <summary>Bits in one status list (16 KB, the Bitstring Status List minimum that keeps a holder among many).</summary>
    public const int ListBits = 131072;

    public static string IssuerId(string baseUrl, long siteId) => $"{baseUrl}/ob/issuers/{siteId}";
    public static string StatusListUrl(string baseUrl, long siteId, long list) => $"{baseUrl}/ob/status/{siteId}/{list}";

    public sealed record Issued(string PublicId, string Jwt);

    /// <summary>The person's credential for a recognition or achievement of theirs; null when it is not theirs or was revoked.</summary>
    public async Task<Issued?> IssueAsync(long me, string kind, long sourceId, bool withMessage, string baseUrl)
    {
        if (kind is not ("recognition" or "achievement")) return null;
        var (facts, holder) = await db.ReadAsync(async c => (
            await c.QueryFirstOrDefaultAsync<CredentialFacts>(kind == "recognition" ? CredentialFacts.RecognitionSql : CredentialFacts.AchievementSql, new { me, id = sourceId }),
            await c.QueryFirstOrDefaultAsync<CredentialHolder>(
                @"SELECT e.employee_no AS EmployeeNo, e.credential_email AS CredentialEmail, e.locale AS Locale, sc.issuer_zh AS IssuerZh, sc.issuer_en AS IssuerEn,
                         CASE WHEN sc.logo IS NULL THEN 0 ELSE 1 END AS HasLogo
                  FROM employees e LEFT JOIN site_certificates sc ON sc.site_id = e.site_id WHERE e.id = @me", new { me })));
        if (facts is null || holder is null) return null;
        var recipient = holder.Recipient;
        var existing = facts.Status != "active" ? null : await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string PublicId, string Jwt)?>(
            "SELECT public_id, jwt FROM credentials WHERE employee_id = @me AND source_kind = @kind AND source_id = @sourceId AND with_message = @withMessage AND recipient = @recipient",
            new { me, kind, sourceId, withMessage, recipient }));
        if (facts.Status != "active") return null;
        if (existing is { } e) return new(e.PublicId, e.Jwt);
        var site = await db.ReadAsync(c => c.QueryFirstAsync<(string Zh, string En)>("SELECT name_zh, name_en FROM sites WHERE id = @SiteId", new { facts.SiteId }));
        var (kid, key) = await keys.SigningKeyAsync();
        var publicId = Guid.NewGuid().ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            return await db.WriteAsync(async (c, t) =>
            {
                var id = await c.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("credentials",
                    "public_id, employee_id, source_kind, source_id, with_message, recipient, kid, jwt, issued_utc", "@publicId, @me, @kind, @sourceId, @withMessage, @recipient, @kid, '', @now"),
                    new { publicId, me, kind, sourceId, withMessage, recipient, kid, now }, t);
                var jwt = Sign(key, kid, baseUrl, Build(baseUrl, publicId, id, kind, facts, holder, site, withMessage));
                await c.ExecuteAsync("UPDATE credentials SET jwt = @jwt WHERE id = @id", new { jwt, id }, t);
                return new Issued(publicId, jwt);
            });
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            return await IssueAsync(me, kind, sourceId, withMessage, baseUrl); // a double tap made it first: the same one
        }
    }

    private static string Sign(ECDsa key, string kid, string baseUrl, JsonObject credential)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = IssuerKeys.KidUrl(baseUrl, kid) };
        return Jws.Sign(key, header.ToJsonString(), credential.ToJsonString());
    }

    private JsonObject Build(string baseUrl, string publicId, long index, string kind, CredentialFacts f, CredentialHolder h, (string Zh, string En) site, bool withMessage)
    {
        var zh = !h.Locale.StartsWith("en", StringComparison.Ordinal);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(zh ? "zh-CN" : "en-US");
        try
        {
            var issuerId = IssuerId(baseUrl, f.SiteId);
            var subjectId = "urn:uuid:" + Guid.NewGuid();
            var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var (identity, identityType) = (h.Recipient, string.IsNullOrWhiteSpace(h.CredentialEmail) ? "ext:employeeNumber" : "emailAddress");
            var validFrom = new DateTimeOffset(DateTime.SpecifyKind(f.AwardedUtc, DateTimeKind.Utc)).ToUnixTimeSeconds();
            var badge = Bilingual.Pick(f.BadgeZh, f.BadgeEn, zh);
            var value = f.ValueId is null ? null : Bilingual.Pick(f.ValueZh, f.ValueEn, zh);
            var criteria = kind == "achievement" && f.Threshold is { } n
                ? text["Credential.CriteriaAchievement", n, Bilingual.Pick(f.RuleZh, f.RuleEn, zh)].Value
                : text["Credential.CriteriaRecognition", badge].Value;
            var behaviours = Bilingual.Pick(f.BehavioursZh, f.BehavioursEn, zh);
            if (behaviours.Length > 0) criteria += " " + text["Credential.Behaviours", value ?? "", behaviours].Value;
            var achievement = new JsonObject
            {
                ["id"] = $"{baseUrl}/ob/achievements/{f.BadgeId}",
                ["type"] = new JsonArray("Achievement"),
                ["name"] = badge,
                ["description"] = Bilingual.Pick(f.DescriptionZh, f.DescriptionEn, zh) is { Length: > 0 } d ? d : badge,
                ["criteria"] = new JsonObject { ["narrative"] = criteria },
                ["image"] = new JsonObject { ["id"] = $"{baseUrl}/ob/achievements/{f.BadgeId}/image", ["type"] = "Image", ["caption"] = badge },
            };
            if (value is not null)
            {
                achievement["tag"] = new JsonArray(value);
                achievement["alignment"] = new JsonArray(new JsonObject
                {
                    ["type"] = new JsonArray("Alignment"), ["targetName"] = value, ["targetUrl"] = $"{baseUrl}/ob/values/{f.ValueId}",
                    ["targetType"] = "ext:CompanyValue", ["targetDescription"] = behaviours.Length > 0 ? behaviours : value,
                });
            }
            var issuer = new JsonObject
            {
                ["id"] = issuerId, ["type"] = new JsonArray("Profile"),
                ["name"] = Bilingual.Pick(h.IssuerZh, h.IssuerEn, zh) is { Length: > 0 } iss ? iss : Bilingual.Pick(site.Zh, site.En, zh),
                ["url"] = baseUrl,
            };
            if (h.HasLogo) issuer["image"] = new JsonObject { ["id"] = $"{issuerId}/image", ["type"] = "Image" };
            var list = index / ListBits;
            var credential = new JsonObject
            {
                ["@context"] = new JsonArray(VcContext, ObContext),
                ["id"] = "urn:uuid:" + publicId,
                ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
                ["issuer"] = issuer,
                ["validFrom"] = DateTimeOffset.FromUnixTimeSeconds(validFrom).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["name"] = badge,
                ["credentialSubject"] = new JsonObject
                {
                    ["id"] = subjectId,
                    ["type"] = new JsonArray("AchievementSubject"),
                    ["identifier"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "IdentityObject", ["identityHash"] = "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity + salt))),
                        ["identityType"] = identityType, ["hashed"] = true, ["salt"] = salt,
                    }),
                    ["achievement"] = achievement,
                },
                ["credentialStatus"] = new JsonObject
                {
                    ["id"] = $"{StatusListUrl(baseUrl, f.SiteId, list)}#{index % ListBits}", ["type"] = "BitstringStatusListEntry", ["statusPurpose"] = "revocation",
                    ["statusListIndex"] = (index % ListBits).ToString(CultureInfo.InvariantCulture), ["statusListCredential"] = StatusListUrl(baseUrl, f.SiteId, list),
                },
                ["credentialSchema"] = new JsonArray(new JsonObject { ["id"] = SchemaUrl, ["type"] = "1EdTechJsonSchemaValidator2019" }),
                ["iss"] = issuerId, ["jti"] = "urn:uuid:" + publicId, ["nbf"] = validFrom, ["sub"] = subjectId,
            };
            if (withMessage && !string.IsNullOrWhiteSpace(f.Message))
            {
                credential["evidence"] = new JsonArray(new JsonObject { ["type"] = new JsonArray("Evidence"), ["name"] = text["Credential.Words"].Value, ["narrative"] = f.Message });
            }
            return credential;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
