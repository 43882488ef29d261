using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Hosting;

return await ProcessRunner.RunAsync("gateway", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddTeamTalkServiceDefaults("gateway", defaultManagementPort: 8401);
    builder.AddTeamTalkGateway();

    var app = builder.Build();
    app.MapTeamTalkDefaultEndpoints(); // first: /metrics and /health/* on the management port only
    app.MapTeamTalkGateway();
    await app.RunAsync();
});
