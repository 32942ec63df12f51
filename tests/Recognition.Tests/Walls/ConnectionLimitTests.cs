using System.Net.Sockets;
using Recognition.Tests.Support;

namespace Recognition.Tests.Walls;

/// <summary>Past Kestrel's connection limit new connections are refused and the server keeps serving.</summary>
public sealed class ConnectionLimitTests : IDisposable
{
    private readonly AppFactory _app = new(new() { ["Kestrel:MaxConnections"] = "3" }, realPort: true);

    [Fact]
    public async Task Over_the_limit_a_connection_is_refused_and_the_server_survives()
    {
        var uri = new Uri(_app.ServerAddress);
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync(uri.Host, uri.Port);
                await c.GetStream().WriteAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
                var buffer = new byte[512];
                Assert.Contains("200 OK", System.Text.Encoding.ASCII.GetString(buffer, 0, await c.GetStream().ReadAsync(buffer)));
                held.Add(c); // kept open (keep-alive): each counts against the limit
            }
            using var extra = new TcpClient();
            await extra.ConnectAsync(uri.Host, uri.Port);
            await extra.GetStream().WriteAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var read = await extra.GetStream().ReadAsync(new byte[512]);
            Assert.Equal(0, read); // closed by the server without a response
        }
        finally
        {
            foreach (var c in held) c.Dispose();
        }
        // Once the held connections are gone the server answers again.
        using var http = new HttpClient();
        for (var i = 0; i < 50; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(uri, "/healthz"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Yield();
        }
        Assert.Fail("The server did not answer after the held connections closed.");
    }

    public void Dispose() => _app.Dispose();
}
