using System.Security.Cryptography;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Devices;

public sealed record NewDevice(long Id, string PairingCode, DateTime ExpiresUtc);

/// <summary>A device just paired: the token for its cookie, and where it goes (a wall's slug, or the kiosk).</summary>
public sealed record PairedDevice(string Token, string? Slug, string Kind);

/// <summary>
/// Creating, pairing and revoking kiosks and displays. A pairing code is 8 characters from an
/// unambiguous alphabet, valid for a short time and exactly once; only its hash is stored.
/// </summary>
public sealed class DeviceService(Db db, IConfiguration config)
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private TimeSpan PairingLifetime => TimeSpan.FromMinutes(config.GetValue("Devices:PairingMinutes", 15));

    public static string Normalize(string? code) => new((code ?? "").ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

    public async Task<Outcome> CreateAsync(long adminId, long siteId, long? teamId, string kind, string? name, string? locale, DateTime now)
    {
        name = (name ?? "").Trim();
        if (kind is not ("display" or "kiosk")) return Outcome.Refused("Error.DeviceKind");
        if (name.Length is < 2 or > 100) return Outcome.Refused("Error.DeviceName", 2, 100);
        return await db.WriteAsync(async (c, t) =>
        {
            if (teamId is { } team && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @team AND site_id = @siteId", new { team, siteId }, t) == 0)
            {
                return Outcome.Refused("Error.UnknownTeam");
            }
            var slug = kind == "display" ? await UniqueSlugAsync(c, t, name) : null;
            var id = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("devices",
                    "site_id, team_id, kind, name, slug, locale, created_utc", "@siteId, @teamId, @kind, @name, @slug, @locale, @now"),
                new { siteId, teamId, kind, name, slug, locale = LocalizationSetup.Normalize(locale), now }, t);
            await Audit.WriteAsync(c, t, adminId, "device.created", $"device:{id}", $"{kind} {name}", null, now);
            return Outcome.Created(id);
        });
    }

    /// <summary>Issues a fresh one-time pairing code (replacing any earlier one) for a device that is not revoked.</summary>
    public async Task<NewDevice?> IssuePairingCodeAsync(long deviceId, AdminScope scope, DateTime now)
    {
        var code = string.Concat(Enumerable.Range(0, 8).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]));
        var expires = now + PairingLifetime;
        var changed = await db.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE devices SET pairing_code_hash = @hash, pairing_expires_utc = @expires WHERE id = @deviceId AND revoked_utc IS NULL AND (@org = 1 OR site_id = @home)",
            new { hash = DeviceClaims.Hash(code), expires, deviceId, org = scope.Org ? 1 : 0, home = scope.HomeSite }, t));
        return changed == 1 ? new NewDevice(deviceId, code, expires) : null;
    }

    /// <summary>Redeems a pairing code: returns the device token for the cookie, or the reason it was refused.</summary>
    public async Task<Outcome<PairedDevice>> PairAsync(string? code, DateTime now)
    {
        var normalized = Normalize(code);
        if (normalized.Length != 8) return Outcome<PairedDevice>.Refused("Error.PairingCode");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        return await db.WriteAsync(async (c, t) =>
        {
            var d = await c.QuerySingleOrDefaultAsync<(long Id, DateTime? Expires, string Kind, string? Slug)?>(
                "SELECT id, pairing_expires_utc, kind, slug FROM devices WHERE pairing_code_hash = @hash AND revoked_utc IS NULL",
                new { hash = DeviceClaims.Hash(normalized) }, t);
            if (d is not { } device) return Outcome<PairedDevice>.Refused("Error.PairingCode");
            if (device.Expires is not { } exp || exp < now) return Outcome<PairedDevice>.Refused("Error.PairingExpired");
            // Single use: the code is cleared in the same statement that stores the token.
            var ok = await c.ExecuteAsync(
                "UPDATE devices SET token_hash = @tokenHash, pairing_code_hash = NULL, pairing_expires_utc = NULL, enrolled_utc = @now WHERE id = @Id AND pairing_code_hash IS NOT NULL",
                new { tokenHash = DeviceClaims.Hash(token), now, device.Id }, t);
            if (ok != 1) return Outcome<PairedDevice>.Refused("Error.PairingCode");
            await Audit.WriteAsync(c, t, null, "device.paired", $"device:{device.Id}", null, null, now);
            return Outcome<PairedDevice>.Done(new PairedDevice(token, device.Slug, device.Kind));
        });
    }

    public async Task<Outcome> RevokeAsync(AdminScope scope, long deviceId, DateTime now) =>
        await db.WriteAsync(async (c, t) =>
        {
            var site = await c.ExecuteScalarAsync<long?>("SELECT site_id FROM devices WHERE id = @deviceId AND revoked_utc IS NULL", new { deviceId }, t);
            if (site is null || !scope.Covers(site.Value)) return Outcome.Refused("Error.UnknownDevice");
            await c.ExecuteAsync("UPDATE devices SET revoked_utc = @now, token_hash = NULL, pairing_code_hash = NULL WHERE id = @deviceId", new { now, deviceId }, t);
            await Outbox.AppendAsync(c, t, site.Value, null, "device.revoked", deviceId, now);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "device.revoked", $"device:{deviceId}", site), now);
            return Outcome.Created(deviceId);
        });

    /// <summary>A new name for a device of the admin's sites (its wall address stays, so a screen's bookmark keeps working).</summary>
    public async Task<Outcome> RenameAsync(AdminScope scope, long deviceId, string? name, DateTime now)
    {
        name = (name ?? "").Trim();
        if (name.Length is < 2 or > 100) return Outcome.Refused("Error.DeviceName", 2, 100);
        return await db.WriteAsync(async (c, t) =>
        {
            var before = await c.QuerySingleOrDefaultAsync<(long SiteId, string Name)?>("SELECT site_id, name FROM devices WHERE id = @deviceId AND revoked_utc IS NULL", new { deviceId }, t);
            if (before is not { } b || !scope.Covers(b.SiteId)) return Outcome.Refused("Error.UnknownDevice");
            await c.ExecuteAsync("UPDATE devices SET name = @name WHERE id = @deviceId", new { name, deviceId }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "device.renamed", $"device:{deviceId}", b.SiteId, new { name = b.Name }, new { name }), now);
            return Outcome.Created(deviceId);
        });
    }

    /// <summary>Asks a paired device to reload its page (every instance relays it to the device's open connections).</summary>
    public async Task<Outcome> ReloadAsync(AdminScope scope, long deviceId, DateTime now) =>
        await db.WriteAsync(async (c, t) =>
        {
            var site = await c.ExecuteScalarAsync<long?>("SELECT site_id FROM devices WHERE id = @deviceId AND revoked_utc IS NULL AND enrolled_utc IS NOT NULL", new { deviceId }, t);
            if (site is null || !scope.Covers(site.Value)) return Outcome.Refused("Error.UnknownDevice");
            await Outbox.AppendAsync(c, t, site.Value, null, "device.reload", deviceId, now);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "device.reload", $"device:{deviceId}", site), now);
            return Outcome.Created(deviceId);
        });

    private static async Task<string> UniqueSlugAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string name)
    {
        // Readable: a Chinese name becomes its pinyin (冲压车间 → chong-ya-che-jian); unique with -2, -3 … when taken.
        var basis = PinyinInitials.Slug(name);
        if (basis.Length < 3) basis = "wall";
        basis = basis.Length > 40 ? basis[..40].TrimEnd('-') : basis;
        var slug = basis;
        for (var i = 2; await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM devices WHERE slug = @slug", new { slug }, t) > 0; i++) slug = $"{basis}-{i}";
        return slug;
    }
}
