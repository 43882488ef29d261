using System.Net;
using Microsoft.Extensions.Time.Testing;
using TeamTalk.Orleans.Data.Admin;
using TeamTalk.Orleans.Gateway.AdminConsole;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Gateway.AdminConsole;

public sealed class LoginThrottleTests
{
    private static readonly IPAddress Guesser = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.8");

    [Fact]
    public void Five_failures_within_the_window_refuse_that_address_until_the_oldest_ages_out()
    {
        var time = new FakeTimeProvider();
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            Assert.True(throttle.Allows(Guesser), $"attempt {i + 1}");
            throttle.Failed(Guesser);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.False(throttle.Allows(Guesser));
        Assert.True(throttle.Allows(Other));
        time.Advance(LoginThrottle.Window - TimeSpan.FromSeconds(50) - TimeSpan.FromTicks(1));
        Assert.False(throttle.Allows(Guesser));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(throttle.Allows(Guesser));
    }

    [Fact]
    public void A_success_clears_the_address()
    {
        var time = new FakeTimeProvider();
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.MaxFailures - 1; i++)
        {
            throttle.Failed(Guesser);
        }

        throttle.Succeeded(Guesser);
        throttle.Failed(Guesser);

        Assert.True(throttle.Allows(Guesser));
    }

    [Fact]
    public void A_flood_of_addresses_stays_bounded_and_keeps_working()
    {
        var throttle = new LoginThrottle(new FakeTimeProvider());
        for (var i = 0; i < LoginThrottle.MaxAddresses + 10; i++)
        {
            throttle.Failed(new IPAddress(BitConverter.GetBytes(i)));
        }

        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            throttle.Failed(Guesser);
        }

        Assert.False(throttle.Allows(Guesser));
    }
}

public sealed class AdminPasswordTests
{
    [Fact]
    public void The_original_stock_row_matches_its_password_in_either_hex_case()
    {
        Assert.True(AdminPassword.Matches("admin", "21232f297a57a5a743894a0e4a801fc3"));
        Assert.True(AdminPassword.Matches("admin", "21232F297A57A5A743894A0E4A801FC3"));
        Assert.Equal("21232f297a57a5a743894a0e4a801fc3", AdminPassword.Hash("admin"));
    }

    [Fact]
    public void A_wrong_password_a_missing_row_or_a_malformed_hash_does_not_match()
    {
        Assert.False(AdminPassword.Matches("Admin", "21232f297a57a5a743894a0e4a801fc3"));
        Assert.False(AdminPassword.Matches("admin", null));
        Assert.False(AdminPassword.Matches(string.Empty, string.Empty));
        Assert.False(AdminPassword.Matches("admin", "21232f297a57a5a7"));
    }
}

public sealed class ConsoleRulesTests
{
    [Theory]
    [InlineData("/admin", true)]
    [InlineData("/admin/users?q=a", true)]
    [InlineData("/admin?x=1", true)]
    [InlineData("/administrator", false)]
    [InlineData("//evil.example/admin", false)]
    [InlineData("/admin//evil.example", false)]
    [InlineData("/admin/\\evil", false)]
    [InlineData("https://evil.example/admin", false)]
    [InlineData("", false)]
    public void Only_console_paths_are_followed_after_a_login(string path, bool followed) =>
        Assert.Equal(followed, ConsoleLoginEndpoints.IsLocalConsolePath(path));

    [Fact]
    public void A_search_is_taken_literally()
    {
        Assert.Equal("%a\\%b\\_c\\\\d%", ConsoleStore.Contains("a%b_c\\d"));
        Assert.Equal("%%", ConsoleStore.Contains(string.Empty));
    }

    [Fact]
    public void Discover_items_keep_the_columns_widths()
    {
        Assert.Null(new DiscoverItemFields("Wiki", "https://wiki.example.org/", 1, null).Check());
        Assert.StartsWith("name:", new DiscoverItemFields(" ", "https://x/", 1, null).Check(), StringComparison.Ordinal);
        Assert.StartsWith("url:", new DiscoverItemFields("Wiki", "https://x/" + new string('u', DiscoverItem.MaxTextChars), 1, null).Check(), StringComparison.Ordinal);
        Assert.Null(new DiscoverItemFields(new string('名', DiscoverItem.MaxTextChars), "https://x/", 1, null).Check());
    }
}
