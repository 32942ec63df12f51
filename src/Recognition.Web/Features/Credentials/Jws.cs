using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recognition.Web.Features.Credentials;

/// <summary>
/// Compact JWS with ES256 (RFC 7515/7518): what a VC-JWT is on the wire. Small on purpose — the tests verify every
/// credential with another implementation (npm <c>jose</c>), so this code is checked by something it does not share.
/// </summary>
public static class Jws
{
    /// <summary>The longest token /verify or the issuer reads (a credential is about 3 KB; a message is at most 500 characters).</summary>
    public const int MaxLength = 32 * 1024;

    public static string Sign(ECDsa key, string headerJson, string payloadJson)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        byte[] signature;
        lock (key) // one key object is shared by every request; .NET does not promise a key is safe to use from two threads at once
        {
            signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Splits and decodes a compact token; false for anything not three base64url parts holding JSON objects.</summary>
    public static bool TryRead(string? token, out JsonElement header, out JsonElement payload, out byte[] signingInput, out byte[] signature)
    {
        header = payload = default;
        signingInput = signature = [];
        if (token is null || token.Length > MaxLength) return false;
        var parts = token.Trim().Split('.');
        if (parts.Length != 3) return false;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]), new JsonDocumentOptions { MaxDepth = 16 }).RootElement;
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]), new JsonDocumentOptions { MaxDepth = 32 }).RootElement;
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
        signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return header.ValueKind == JsonValueKind.Object && payload.ValueKind == JsonValueKind.Object;
    }

    public static bool Verify(ECDsa publicKey, byte[] signingInput, byte[] signature)
    {
        if (signature.Length != 64) return false;
        lock (publicKey)
        {
            return publicKey.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <summary>The public half as a JWK (RFC 7517): what /ob/jwks and /ob/keys/{id} serve.</summary>
    public static Dictionary<string, string> PublicJwk(ECDsa key, string kid)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new()
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X!), ["y"] = Base64Url.EncodeToString(p.Q.Y!),
            ["kid"] = kid, ["alg"] = "ES256", ["use"] = "sig",
        };
    }

    public static ECDsa FromJwk(string jwkJson)
    {
        using var doc = JsonDocument.Parse(jwkJson);
        var r = doc.RootElement;
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(r.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(r.GetProperty("y").GetString()) },
        });
    }
}
