using Ergate.Orleans.Host.Demo;
using Ergate.Orleans.Host.Hosting;
using Microsoft.Extensions.Hosting;

// The silo host. Serves until stopped (Ctrl+C); with --demo it runs the demo on its own database and exits.
if (args.Contains("--demo", StringComparer.Ordinal))
{
    return await DemoCommand.RunAsync(args);
}

using var host = ErgateHostBuilder.Create(args).Build();
await host.RunAsync();
return 0;
