using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.AdminApi;
using TeamTalk.Orleans.Gateway.Msfs;
using TeamTalk.Orleans.Gateway.WebClient;
using TeamTalk.Orleans.Gateway.WebSockets;
using TeamTalk.Orleans.Hosting;

return await ProcessRunner.RunAsync("gateway", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddTeamTalkProcess("gateway");
    builder.AddTeamTalkGateway();
    builder.AddTeamTalkMsfs();
    builder.AddTeamTalkAdminApi();
    builder.AddTeamTalkWebSockets();
    builder.AddTeamTalkWebClient();

    var app = builder.Build();
    app.MapTeamTalkAdminApi(); // first: its middleware keeps the back-office port to its own routes
    app.MapTeamTalkMsfs();
    app.MapTeamTalkGatewayEndpoints();
    app.MapTeamTalkWebSockets();
    app.MapTeamTalkWebClient();
    await app.RunAsync();
});
