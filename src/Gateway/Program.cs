using TeamTalk.Orleans.Gateway;
using TeamTalk.Orleans.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTeamTalkLogging("gateway");
builder.AddTeamTalkGateway();

var app = builder.Build();
app.MapTeamTalkGatewayEndpoints();
await app.RunAsync();
