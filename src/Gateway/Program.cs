using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Gateway.AdminApi;
using TeamTalk.Orleans.Gateway.Msfs;
using TeamTalk.Orleans.Gateway.Voice;
using TeamTalk.Orleans.Gateway.WebClient;
using TeamTalk.Orleans.Gateway.WebSockets;
using TeamTalk.Orleans.Hosting;

return await ProcessRunner.RunAsync("gateway", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddTeamTalkServiceDefaults("gateway", defaultManagementPort: 8401);
    builder.AddTeamTalkGateway();
    builder.AddTeamTalkMsfs();
    builder.AddTeamTalkAdminApi();
    builder.AddTeamTalkWebSockets();
    builder.AddTeamTalkVoice();
    builder.AddTeamTalkWebClient();

    var app = builder.Build();
    app.MapTeamTalkDefaultEndpoints(); // first: /metrics and /health/* on the management port only
    app.MapTeamTalkAdminApi(); // next: its middleware keeps the back-office port to its own routes
    app.MapTeamTalkMsfs();
    app.MapTeamTalkGatewayEndpoints();
    app.MapTeamTalkWebSockets();
    app.MapTeamTalkVoice();
    app.MapTeamTalkWebClient();
    await app.RunAsync();
});
