using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.Msfs;
using TeamTalk.Orleans.Hosting;

return await ProcessRunner.RunAsync("gateway", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddTeamTalkProcess("gateway");
    builder.AddTeamTalkGateway();
    builder.AddTeamTalkMsfs();

    var app = builder.Build();
    app.MapTeamTalkMsfs();
    app.MapTeamTalkGatewayEndpoints();
    await app.RunAsync();
});
