using TeamTalk.Orleans.Hosting;
using TeamTalk.Orleans.Silo;

return await ProcessRunner.RunAsync("silo", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddTeamTalkServiceDefaults("silo", defaultManagementPort: 8091);
    builder.AddTeamTalkSilo();

    var app = builder.Build();
    app.MapTeamTalkDefaultEndpoints();
    app.MapTeamTalkSiloEndpoints();
    await app.RunAsync();
});
