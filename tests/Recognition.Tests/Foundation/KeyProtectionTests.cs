using System.Net;
using System.Xml.Linq;
using Dapper;
using Recognition.Tests.Support;

namespace Recognition.Tests.Foundation;

/// <summary>Sign-in keys are encrypted at rest with a key the database doesn't hold; Production insists on it.</summary>
public sealed class KeyProtectionTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();

    public async Task InitializeAsync() => await World.CreateAsync(_app);

    private async Task<List<XElement>> KeysAsync() =>
        (await _app.Db.ReadAsync(c => c.QueryAsync<string>("SELECT xml FROM data_protection_keys"))).Select(XElement.Parse).ToList();

    [Fact]
    public async Task Keys_are_stored_encrypted_and_a_copy_of_the_database_without_the_key_forges_nothing()
    {
        var signIn = await Session.Anonymous(_app).PostFormAsync("/Account/SignIn", new() { ["Login"] = "E1", ["Password"] = World.Password });
        var authCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recognition.auth=", StringComparison.Ordinal)).Split(';')[0];
        var keys = (await KeysAsync()).Where(k => k.Name == "key").ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.Empty(k.Descendants("masterKey")); // no secret in clear
            Assert.Single(k.Descendants("encryptedKey"));
        });

        // A second instance with the right key reads the session; one with another key (a stolen backup) cannot.
        using var same = new AppFactory(_app.SameDatabase());
        var settings = _app.SameDatabase();
        settings["Security:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32]);
        using var other = new AppFactory(settings);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(same, authCookie)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await GetWithCookieAsync(other, authCookie)).StatusCode);
    }

    [Fact]
    public async Task Keys_an_older_version_stored_in_clear_are_deleted_once_encryption_is_configured()
    {
        var settings = _app.SameDatabase();
        settings["Security:KeyEncryptionKey"] = "";
        using (var plain = new AppFactory(settings))
        {
            await Session.SignInAsync(plain, "E1");
        }
        Assert.Contains(await KeysAsync(), k => k.Descendants("masterKey").Any());
        using (var again = new AppFactory(_app.SameDatabase()))
        {
            await Session.SignInAsync(again, "E1");
        }
        Assert.DoesNotContain(await KeysAsync(), k => k.Descendants("masterKey").Any());
    }

    [Theory]
    [InlineData("Recognition__Security__KeyEncryptionKey", "Recognition__Security__KeyEncryptionKey")]
    [InlineData("Recognition__Security__PinPepper", "Recognition__Security__PinPepper")]
    public async Task Production_refuses_to_start_without_the_key_or_the_pepper(string unset, string named)
    {
        var (exit, stderr) = await AppProcess.RunAsync(new()
        {
            ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={Path.Combine(_app.DataDir, "refused.db")}",
            [unset] = "",
        }, "migrate");
        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Recognition cannot start: in Production", line);
        Assert.Contains(named, line);
        Assert.False(File.Exists(Path.Combine(_app.DataDir, "refused.db")));
    }

    private static Task<HttpResponseMessage> GetWithCookieAsync(AppFactory app, string cookie)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client.GetAsync("/Me");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
