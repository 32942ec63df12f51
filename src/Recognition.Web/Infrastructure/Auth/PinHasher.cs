using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Recognition.Web.Infrastructure.Auth;

/// <summary>
/// Hashes kiosk PINs with a pepper held outside the database: Security:PinPepper (environment
/// Recognition__Security__PinPepper), else a random one kept in data/pin-pepper beside the embedded
/// database. A stolen database alone cannot be brute-forced over the small PIN space.
/// </summary>
public sealed class PinHasher
{
    private readonly IPasswordHasher<Credential> _hasher;
    private readonly string _pepper;

    public PinHasher(IPasswordHasher<Credential> hasher, IConfiguration config, IHostEnvironment env)
    {
        _hasher = hasher;
        _pepper = config["Security:PinPepper"] ?? LoadOrCreate(Path.Combine(env.ContentRootPath, "data", "pin-pepper"));
    }

    /// <summary>A hash to verify against when there is no person, so an unknown number costs the same time.</summary>
    public string DummyHash => _dummy.Value;

    private readonly Lazy<string> _dummy = new(() => new PasswordHasher<Credential>().HashPassword(new Credential(), Guid.NewGuid().ToString()));

    public string Hash(string pin) => _hasher.HashPassword(new Credential(), _pepper + ":" + pin);

    public bool Verify(string hash, string pin) =>
        _hasher.VerifyHashedPassword(new Credential(), hash, _pepper + ":" + pin) != PasswordVerificationResult.Failed;

    /// <summary>
    /// A keyed hash (HMAC-SHA256 with the pepper) for short one-time codes such as kiosk activation codes: fast enough for
    /// 2,000 letters at once, and a stolen database alone cannot test guesses against it.
    /// </summary>
    public string Keyed(string value) =>
        Convert.ToHexString(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_pepper), System.Text.Encoding.UTF8.GetBytes(value))).ToLowerInvariant();

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        try
        {
            using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var w = new StreamWriter(f);
            w.Write(pepper);
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim(); // another process created it first
        }
        return pepper;
    }
}
