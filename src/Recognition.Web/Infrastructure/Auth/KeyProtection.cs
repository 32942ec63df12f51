using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Recognition.Web.Infrastructure.Auth;

/// <summary>
/// The sign-in keys (ASP.NET Data Protection) live in the database so every instance shares them; at rest they are
/// encrypted with a key the database never holds — Security:KeyEncryptionKey (32 random bytes, base64; AES-256-GCM)
/// or a certificate (Security:KeyCertificatePath, optional Security:KeyCertificatePassword). A database backup alone
/// then cannot forge a cookie. Production refuses to start without one of them and without the PIN pepper.
/// </summary>
public static class KeyProtection
{
    public const string KeySetting = "Security:KeyEncryptionKey";

    public static void Configure(IDataProtectionBuilder dp, IConfiguration config, IHostEnvironment env)
    {
        var certPath = NonEmpty(config["Security:KeyCertificatePath"]);
        var key = NonEmpty(config[KeySetting]);
        if (certPath is not null)
        {
            if (!File.Exists(certPath)) throw new ConfigurationProblem($"Security:KeyCertificatePath points to a file that does not exist: {certPath}");
            var cert = X509CertificateLoader.LoadPkcs12FromFile(certPath, NonEmpty(config["Security:KeyCertificatePassword"]));
            dp.ProtectKeysWithCertificate(cert).UnprotectKeysWithAnyCertificate(cert);
        }
        else if (key is not null)
        {
            var bytes = Parse(key);
            dp.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new AesGcmXmlEncryptor(bytes));
        }
        else if (env.IsProduction())
        {
            throw new ConfigurationProblem(
                "in Production the sign-in keys must be encrypted at rest: set Recognition__Security__KeyEncryptionKey to 32 random bytes in base64 (openssl rand -base64 32) or Recognition__Security__KeyCertificatePath to a .pfx (see README, Secrets).");
        }
        if (env.IsProduction() && NonEmpty(config["Security:PinPepper"]) is null)
        {
            throw new ConfigurationProblem(
                "in Production the kiosk PIN pepper must come from the environment, not a file beside the database: set Recognition__Security__PinPepper to a long random value (openssl rand -base64 32) and keep it (see README, Secrets).");
        }
    }

    public static bool Encrypts(IConfiguration config) => NonEmpty(config["Security:KeyCertificatePath"]) is not null || NonEmpty(config[KeySetting]) is not null;

    /// <summary>
    /// Once encryption is configured, keys an earlier version stored in clear are deleted before the app serves: their
    /// secret would stay readable in every backup. Everyone signed in with them signs in again once.
    /// </summary>
    public static async Task<int> DropUnencryptedKeysAsync(Db db, IConfiguration config)
    {
        if (!Encrypts(config)) return 0;
        return await db.WriteAsync(async (c, t) =>
        {
            var rows = await c.QueryAsync<(long Id, string Xml)>("SELECT id, xml FROM data_protection_keys", transaction: t);
            var clear = rows.Where(r => XElement.Parse(r.Xml).Descendants("masterKey").Any()).Select(r => r.Id).ToList();
            foreach (var id in clear) await c.ExecuteAsync("DELETE FROM data_protection_keys WHERE id = @id", new { id }, t);
            return clear.Count;
        });
    }

    internal static byte[] Parse(string? value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value ?? "");
            if (bytes.Length == 32) return bytes;
        }
        catch (FormatException)
        {
        }
        throw new ConfigurationProblem("Security:KeyEncryptionKey must be 32 random bytes in base64 (openssl rand -base64 32).");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary>Encrypts a key element with AES-256-GCM: nonce, tag and ciphertext in one base64 value.</summary>
public sealed class AesGcmXmlEncryptor(byte[] key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(key, tag.Length)) aes.Encrypt(nonce, plain, cipher, tag);
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM with Security:KeyEncryptionKey, which is not stored in this database "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. cipher])));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Created by Data Protection from the stored element's type name; reads the key from configuration.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = KeyProtection.Parse(services.GetRequiredService<IConfiguration>()[KeyProtection.KeySetting]);
        var all = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var nonce = all.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = all.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        var cipher = all.AsSpan(nonce.Length + tag.Length);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key, tag.Length)) aes.Decrypt(nonce, cipher, tag, plain);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}
