using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Credentials;

public enum CredentialVerdict { Valid, Revoked, Tampered, UnknownIssuer, Unreadable }

public sealed record CredentialCheck(CredentialVerdict Verdict, string? Name = null, string? IssuerName = null, DateTime? ValidFrom = null);

/// <summary>
/// /verify's answer for a pasted or uploaded VC-JWT: unreadable, signed by a key this organisation never had (unknown
/// issuer), changed after signing (tampered: the signature or the JWT claims no longer match the credential), revoked
/// (its status bit is set), or valid. And the Bitstring Status List each site publishes for other verifiers.
/// </summary>
public sealed class CredentialVerifier(Db db, IssuerKeys keys, TimeProvider clock)
{
    public async Task<CredentialCheck> CheckAsync(string? token)
    {
        if (!Jws.TryRead(token, out var header, out var payload, out var input, out var signature)) return new(CredentialVerdict.Unreadable);
        var kid = header.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        var shortKid = kid.Contains("/ob/keys/", StringComparison.Ordinal) ? kid[(kid.LastIndexOf('/') + 1)..] : "";
        var key = header.TryGetProperty("alg", out var alg) && alg.ValueEquals("ES256") ? await keys.PublicKeyAsync(shortKid) : null;
        if (key is null) return new(CredentialVerdict.UnknownIssuer);
        if (!Jws.Verify(key, input, signature) || !Consistent(payload)) return new(CredentialVerdict.Tampered);
        var publicId = Str(payload, "jti")["urn:uuid:".Length..];
        var row = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string Kind, string? Status)?>(
            @"SELECT c.source_kind, r.status FROM credentials c LEFT JOIN recognitions r ON c.source_kind = 'recognition' AND r.id = c.source_id
              WHERE c.public_id = @publicId", new { publicId }));
        if (row is null) return new(CredentialVerdict.UnknownIssuer);
        var name = Str(payload, "name");
        var issuer = payload.GetProperty("issuer");
        var issuerName = issuer.ValueKind == JsonValueKind.Object && issuer.TryGetProperty("name", out var n) ? n.GetString() : null;
        var from = DateTime.Parse(Str(payload, "validFrom"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new(row.Value.Status is "revoked" ? CredentialVerdict.Revoked : CredentialVerdict.Valid, name, issuerName, from);
    }

    /// <summary>OB 3.0 §8.2: the JWT claims repeat the credential's own fields; a token whose claims and credential disagree is not ours as signed.</summary>
    private static bool Consistent(JsonElement p)
    {
        try
        {
            var issuer = p.GetProperty("issuer");
            var issuerId = issuer.ValueKind == JsonValueKind.String ? issuer.GetString() : issuer.GetProperty("id").GetString();
            var validFrom = DateTimeOffset.Parse(Str(p, "validFrom"), CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            return Str(p, "iss") == issuerId && Str(p, "jti") == Str(p, "id") && Str(p, "jti").StartsWith("urn:uuid:", StringComparison.Ordinal)
                && p.GetProperty("nbf").GetInt64() == validFrom && Str(p, "sub") == p.GetProperty("credentialSubject").GetProperty("id").GetString();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? throw new FormatException(name);

    /// <summary>The site's status list number <paramref name="list"/> as a signed BitstringStatusListCredential (VC-JWT).</summary>
    public async Task<string?> StatusListAsync(long siteId, long list, string baseUrl)
    {
        if (list < 0 || list > int.MaxValue / CredentialIssuer.ListBits) return null;
        if (!await db.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT CASE WHEN EXISTS (SELECT 1 FROM sites WHERE id = @siteId) THEN 1 ELSE 0 END", new { siteId }))) return null;
        long lo = list * CredentialIssuer.ListBits, hi = lo + CredentialIssuer.ListBits - 1;
        var revoked = await db.ReadAsync(c => c.QueryAsync<long>(
            @"SELECT c.id FROM credentials c JOIN recognitions r ON c.source_kind = 'recognition' AND r.id = c.source_id
              WHERE r.site_id = @siteId AND r.status = 'revoked' AND c.id BETWEEN @lo AND @hi", new { siteId, lo, hi }));
        var bits = new byte[CredentialIssuer.ListBits / 8];
        foreach (var id in revoked)
        {
            var i = id - lo;
            bits[i / 8] |= (byte)(0x80 >> (int)(i % 8)); // index 0 is the left-most bit of the first byte
        }
        using var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(bits);
        var url = CredentialIssuer.StatusListUrl(baseUrl, siteId, list);
        var issuer = CredentialIssuer.IssuerId(baseUrl, siteId);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray(CredentialIssuer.VcContext),
            ["id"] = url,
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = issuer,
            ["validFrom"] = DateTimeOffset.FromUnixTimeSeconds(now).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["credentialSubject"] = new JsonObject { ["id"] = url + "#list", ["type"] = "BitstringStatusList", ["statusPurpose"] = "revocation", ["encodedList"] = "u" + Base64Url.EncodeToString(gz.ToArray()) },
            ["iss"] = issuer, ["jti"] = url, ["nbf"] = now,
        };
        var (kid, key) = await keys.SigningKeyAsync();
        return Jws.Sign(key, new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = IssuerKeys.KidUrl(baseUrl, kid) }.ToJsonString(), credential.ToJsonString());
    }
}
