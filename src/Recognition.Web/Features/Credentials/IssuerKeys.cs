using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Recognition.Web.Features.Credentials;

public sealed class IssuerKey
{
    public long Id { get; init; }
    public string Kid { get; init; } = "";
    public string PublicJwk { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    public DateTime? RetiredUtc { get; init; }
}

/// <summary>
/// The organisation's credential signing keys (ES256, P-256). Made by the app on first use; the private half is kept
/// encrypted with Data Protection (whose own keys are encrypted with the key-encryption key). Rotating retires the
/// current key and makes a new one: retired keys stay published, so every credential signed before still verifies.
/// The signing key is cached for a minute, so a rotation on another instance is picked up within that time.
/// </summary>
public sealed class IssuerKeys(Db db, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Recognition.Credentials.Keys.v1");
    private readonly ConcurrentDictionary<string, ECDsa> _public = new(StringComparer.Ordinal);
    private sealed record ActiveKey(string Kid, ECDsa Key, DateTime Until);

    private volatile ActiveKey? _active;

    /// <summary>The address a key's JWK is served at; VC-JWT headers carry it as <c>kid</c>, and /ob/jwks lists it under the same name.</summary>
    public static string KidUrl(string baseUrl, string kid) => $"{baseUrl}/ob/keys/{kid}";

    public async Task<(string Kid, ECDsa Key)> SigningKeyAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_active is { } a && a.Until > now) return (a.Kid, a.Key);
        var row = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string Kid, string PrivateEnc)?>(
            "SELECT kid, private_enc FROM issuer_keys WHERE retired_utc IS NULL ORDER BY id DESC", new { }));
        if (row is null)
        {
            await CreateAsync(retireCurrent: false, actorId: null, ip: null);
            return await SigningKeyAsync();
        }
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(row.Value.PrivateEnc)), out _);
        _active = new ActiveKey(row.Value.Kid, key, now.AddMinutes(1));
        return (row.Value.Kid, key);
    }

    /// <summary>Admin › Portable badges › Rotate: the current key is retired (still published), a new one signs from now on.</summary>
    public Task RotateAsync(long actorId, string? ip) => CreateAsync(retireCurrent: true, actorId, ip);

    private async Task CreateAsync(bool retireCurrent, long? actorId, string? ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var jwk = JsonSerializer.Serialize(Jws.PublicJwk(key, kid));
        var enc = _protector.Protect(Convert.ToBase64String(key.ExportPkcs8PrivateKey()));
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            // Two instances making the first key at once: the second sees the first's and keeps it.
            if (!retireCurrent && await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM issuer_keys WHERE retired_utc IS NULL", transaction: t) is not null) return;
            if (retireCurrent) await c.ExecuteAsync("UPDATE issuer_keys SET retired_utc = @now WHERE retired_utc IS NULL", new { now }, t);
            await c.ExecuteAsync("INSERT INTO issuer_keys (kid, alg, private_enc, public_jwk, created_utc) VALUES (@kid, 'ES256', @enc, @jwk, @now)", new { kid, enc, jwk, now }, t);
            await Audit.WriteAsync(c, t, actorId, retireCurrent ? "credentials.key.rotate" : "credentials.key.create", $"issuer_key:{kid}", null, ip, now);
        });
        _active = null;
    }

    public async Task<IReadOnlyList<IssuerKey>> AllAsync() =>
        (await db.ReadAsync(c => c.QueryAsync<IssuerKey>(
            "SELECT id AS Id, kid AS Kid, public_jwk AS PublicJwk, created_utc AS CreatedUtc, retired_utc AS RetiredUtc FROM issuer_keys ORDER BY id", new { }))).ToList();

    /// <summary>A published key by its short id (retired ones included); null when this organisation never had it.</summary>
    public async Task<ECDsa?> PublicKeyAsync(string kid)
    {
        if (kid is not { Length: 24 } || !kid.All(char.IsAsciiHexDigitLower)) return null;
        if (_public.TryGetValue(kid, out var cached)) return cached;
        var jwk = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<string?>("SELECT public_jwk FROM issuer_keys WHERE kid = @kid", new { kid }));
        return jwk is null ? null : _public.GetOrAdd(kid, _ => Jws.FromJwk(jwk));
    }
}
