using SkiaSharp;

namespace Recognition.Web.Features.Printing;

/// <summary>What a site's certificates carry: who issues them, the signatory under the signature line, the plant's logo.</summary>
public sealed record Branding(string? IssuerZh, string? IssuerEn, string? SignatoryZh, string? SignatoryEn, byte[]? Logo)
{
    public static readonly Branding None = new(null, null, null, null, null);
}

public sealed record BrandingForm(long SiteId, string? IssuerZh, string? IssuerEn, string? SignatoryZh, string? SignatoryEn, byte[]? Logo, bool RemoveLogo);

/// <summary>
/// A site's certificate settings, set by its admin on /Admin/Organisation. A logo is a PNG or JPEG of at most
/// <see cref="LogoMaxBytes"/> and <see cref="LogoMaxPixels"/> px a side, checked from its header before anything decodes it.
/// </summary>
public sealed class CertificateBranding(Db db)
{
    public const int LogoMaxBytes = 512 * 1024, LogoMaxPixels = 2000, MaxName = 100;

    public async Task<Branding> ForSiteAsync(long siteId)
    {
        await using var c = await db.OpenAsync();
        return (await ForSitesAsync(c, [siteId])).GetValueOrDefault(siteId, Branding.None);
    }

    public static async Task<Dictionary<long, Branding>> ForSitesAsync(DbConnection c, IEnumerable<long> siteIds)
    {
        var rows = await c.QueryAsync<(long SiteId, string IssuerZh, string IssuerEn, string SignatoryZh, string SignatoryEn, byte[]? Logo)>(
            "SELECT site_id, issuer_zh, issuer_en, signatory_zh, signatory_en, logo FROM site_certificates WHERE site_id IN @ids", new { ids = siteIds.Distinct().ToArray() });
        return rows.ToDictionary(r => r.SiteId, r => new Branding(Empty(r.IssuerZh), Empty(r.IssuerEn), Empty(r.SignatoryZh), Empty(r.SignatoryEn), r.Logo));
    }

    public async Task<(string Type, byte[] Bytes)?> LogoAsync(long siteId)
    {
        await using var c = await db.OpenAsync();
        var row = await c.QuerySingleOrDefaultAsync<(string? Type, byte[]? Bytes)>("SELECT logo_type, logo FROM site_certificates WHERE site_id = @siteId", new { siteId });
        return row is { Type: { } type, Bytes: { } bytes } ? (type, bytes) : null;
    }

    public async Task<Outcome> SaveAsync(BrandingForm f, AdminScope scope, DateTime now)
    {
        if (!scope.Covers(f.SiteId)) return Outcome.Refused("People.SiteNotYours");
        var names = new[] { f.IssuerZh, f.IssuerEn, f.SignatoryZh, f.SignatoryEn }.Select(n => TextRules.Clean(n) ?? "").ToArray();
        if (names.Any(n => n.Length > MaxName)) return Outcome.Refused("Certificate.NameTooLong", MaxName);
        string? type = null;
        if (f.Logo is { } logo && (type = LogoType(logo, out var error)) is null) return Outcome.Refused(error!, LogoMaxBytes / 1024, LogoMaxPixels);
        return await db.RunAsync(async (c, t) =>
        {
            var before = (await c.QueryAsync("SELECT issuer_zh, issuer_en, signatory_zh, signatory_en, logo_type FROM site_certificates WHERE site_id = @SiteId", f, t)).FirstOrDefault();
            var row = new { f.SiteId, izh = names[0], ien = names[1], szh = names[2], sen = names[3], type, logo = f.Logo, now };
            await c.ExecuteAsync(before is null
                ? "INSERT INTO site_certificates (site_id, issuer_zh, issuer_en, signatory_zh, signatory_en, updated_utc) VALUES (@SiteId, @izh, @ien, @szh, @sen, @now)"
                : "UPDATE site_certificates SET issuer_zh = @izh, issuer_en = @ien, signatory_zh = @szh, signatory_en = @sen, updated_utc = @now WHERE site_id = @SiteId", row, t);
            if (f.Logo is not null) await c.ExecuteAsync("UPDATE site_certificates SET logo_type = @type, logo = @logo WHERE site_id = @SiteId", row, t);
            else if (f.RemoveLogo) await c.ExecuteAsync("UPDATE site_certificates SET logo_type = NULL, logo = NULL WHERE site_id = @SiteId", row, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "site.certificate", $"site:{f.SiteId}", f.SiteId, Before: before,
                After: new { issuer_zh = names[0], issuer_en = names[1], signatory_zh = names[2], signatory_en = names[3], logo = f.Logo is null ? (f.RemoveLogo ? "removed" : "kept") : $"{type}, {f.Logo.Length} bytes" }), now);
            return Outcome.Created(f.SiteId);
        });
    }

    /// <summary>The logo's content type, or null with the reason: too large, not PNG or JPEG, or too many pixels (read from the header, nothing decoded).</summary>
    public static string? LogoType(byte[] bytes, out string? error)
    {
        error = null;
        if (bytes.Length > LogoMaxBytes) { error = "Certificate.LogoTooLarge"; return null; }
        var type = Claims.ImageSniffer.ContentType(bytes);
        if (type is not ("image/png" or "image/jpeg")) { error = "Certificate.LogoNotImage"; return null; }
        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        if (codec is null) { error = "Certificate.LogoNotImage"; return null; }
        if (codec.Info.Width is < 1 or > LogoMaxPixels || codec.Info.Height is < 1 or > LogoMaxPixels) { error = "Certificate.LogoTooLarge"; return null; }
        return type;
    }

    private static string? Empty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
