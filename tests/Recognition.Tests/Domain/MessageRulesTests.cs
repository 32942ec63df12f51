using Recognition.Web.Features.Claims;

namespace Recognition.Tests.Domain;

public sealed class MessageRulesTests
{
    [Theory]
    [InlineData("good job", 8)]
    [InlineData("做得好", 6)]
    [InlineData("做得好 job", 10)]
    [InlineData("👍🏽👍", 2)] // one text element each, whatever the code units
    public void Weighted_length_counts_CJK_characters_twice(string text, int expected) =>
        Assert.Equal(expected, MessageRules.WeightedLength(text, 2));

    [Fact]
    public void Check_reports_empty_short_and_long_in_that_order()
    {
        Assert.Equal(("Error.MessageEmpty", 20), MessageRules.Check("", 20, 500, 2));
        Assert.Equal(("Error.MessageTooShort", 20), MessageRules.Check("nice work", 20, 500, 2));
        Assert.Equal(("Error.MessageTooLong", 5), MessageRules.Check("一二三四五六", 2, 5, 2));
        Assert.Null(MessageRules.Check("你帮我修好了三号压机", 20, 500, 2));
    }

    [Theory]
    [InlineData("\u200B\u200B\u200C\u200D\u2060\uFEFF", "")]          // zero-width only: nothing left
    [InlineData("a\u202Eb\u2066c\u200Fd", "abcd")]                      // bidi controls never print
    [InlineData("👩\u200D🔧 好", "👩\u200D🔧 好")]                       // a joiner inside an emoji stays
    [InlineData("\u200D好\u200D \u200D", "好")]                          // a joiner at an edge or by a space goes
    public void Clean_drops_zero_width_and_bidi_controls_but_keeps_emoji_joiners(string text, string expected) =>
        Assert.Equal(expected, MessageRules.Clean(text));

    [Fact]
    public void Clean_strips_control_characters_but_keeps_line_breaks() =>
        Assert.Equal("a\nb c", MessageRules.Clean("  a\r\nb\u0007 c\t "));

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "image/gif")]
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67 }, null)] // <svg: not accepted (can carry script)
    public void Uploads_are_judged_by_their_bytes(byte[] head, string? expected) =>
        Assert.Equal(expected, ImageSniffer.ContentType(head));

    [Fact]
    public void Configured_point_steps_are_deduplicated_and_sorted() =>
        Assert.Equal([0, 5, 10], new RulesOptions { PointSteps = [10, 0, 5, 10, -5] }.Steps);
}

public sealed class InitialsTests
{
    [Theory]
    [InlineData("马建华", null, "建华")]
    [InlineData("赵磊", null, "磊")]
    [InlineData("𠀀𪚥明", null, "𪚥明")]
    [InlineData(null, "Carol Smith", "CS")]
    public void Avatars_show_the_given_name_not_the_surname(string? zh, string? en, string expected)
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        Assert.Equal(expected, new Recognition.Web.Features.Recognize.PersonOption { NameZh = zh, NameEn = en }.Initials);
    }
}
