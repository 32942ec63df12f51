using Recognition.Web.Features.Walls;

namespace Recognition.Tests.Walls;

/// <summary>A wall card is rendered once per language by the relay: every word on it comes from the resource files in that language.</summary>
public sealed class WallCardTests
{
    private static FeedCard Card(string source, string? from) => new()
    {
        Id = 7, CreatedUtc = new DateTime(2026, 12, 3, 2, 0, 0, DateTimeKind.Utc), TimeZone = "Asia/Shanghai", GiverZh = "王伟", GiverEn = "Wang Wei",
        BadgeZh = "安全之星", BadgeEn = "Safety star", Message = "谢谢", Source = source, ExternalFrom = from,
    };

    [Theory]
    [InlineData("zh-CN", "客户表扬", "来自 客户 (ACME)", "来自 王伟")]
    [InlineData("en-US", "Customer praise", "from a customer (ACME)", "from Wang Wei")]
    public void Customer_and_peer_cards_speak_the_walls_language(string culture, string tag, string customerFrom, string peerFrom)
    {
        var customer = WallCard.Render(Card("customer", "ACME"), culture);
        Assert.Contains($"<span class=\"wcustomer\">{tag}</span>", customer);
        Assert.Contains(customerFrom, customer);
        var peer = WallCard.Render(Card("peer", null), culture);
        Assert.Contains(peerFrom, peer);
        Assert.DoesNotContain("wcustomer", peer);
    }
}
