namespace Recognition.Web.Features.Health;

/// <summary>`health [URL]`: what Docker's HEALTHCHECK runs inside the container.</summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            var res = await http.GetAsync(new Uri(url));
            Console.WriteLine($"{(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
            return res.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Console.Error.WriteLine($"health: {ex.Message}");
            return 1;
        }
    }
}
