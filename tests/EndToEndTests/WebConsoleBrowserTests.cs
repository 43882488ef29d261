using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// The admin console and the web client in a real headless chromium (web/scripts/browser-console.mjs): the
/// administrator's wrong password is refused, the right one logs in; a user created with the console's form logs in
/// from the web client and chats; disabling that user in the console throws the web client out, and the user cannot
/// log in again. Screenshots of the console and the chat go to TestResults/screenshots.
/// </summary>
[Collection(AdminConsoleCollection.Name)]
public sealed class WebConsoleBrowserTests(AdminConsoleFixture fixture)
{
    [Fact]
    public async Task A_user_created_in_the_console_chats_in_the_browser_and_is_thrown_out_when_disabled()
    {
        using (var console = await fixture.LoggedInAsync())
        {
            // The console's new-user form needs a department to put the user in.
            await console.SubmitAsync("/admin/departments", "/admin/departments", ("name", fixture.Name("Web")), ("parentId", "0"));
        }

        var created = fixture.Name("webnew");
        var peer = fixture.Name("webpeer");
        await fixture.Cluster.Database.SeedUsersAsync([peer]);
        foreach (var shot in new[] { "console-users.png", "console-chat.png", "console-disabled.png" })
        {
            File.Delete(Path.Combine(BrowserScript.Screenshots, shot));
        }

        await BrowserScript.RunAsync("browser-console.mjs", "CONSOLE",
            fixture.BaseAddress.ToString(), "ops", AdminConsoleFixture.OpsPassword, fixture.WebAddress.ToString(), created, peer, TestDatabase.Password, BrowserScript.Screenshots);

        Assert.True(File.Exists(Path.Combine(BrowserScript.Screenshots, "console-users.png")));
        Assert.True(File.Exists(Path.Combine(BrowserScript.Screenshots, "console-chat.png")));
        var id = await fixture.Cluster.Database.UserIdAsync(created);
        Assert.True(id > 0, $"{created} is in IMUser");
        await using var again = await Clients.ConnectAsync(fixture.Gateway);
        var (refused, _) = await again.LoginAsync(created, TestDatabase.Password, ClientType.Windows, Clients.Reply);
        Assert.Equal(ResultType.RefuseReasonDbValidateFailed, refused!.ResultCode);
    }
}
