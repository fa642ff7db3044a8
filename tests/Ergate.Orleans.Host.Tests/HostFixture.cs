using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ergate.Orleans.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Ergate.Orleans.Host.Tests;

/// <summary>Builds the real silo host (the repository's appsettings.json) on free loopback ports and a temporary database.</summary>
internal static class HostFixture
{
    public static IHost Build(string database, IDictionary<string, string?>? overrides = null, Action<IErgateBuilder>? configureErgate = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [ErgateHostBuilder.QueueSection + ":DatabasePath"] = database,
            [ErgateHostBuilder.StateStoreSection + ":DatabasePath"] = database,
            ["Orleans:SiloPort"] = FreePort(),
            ["Orleans:GatewayPort"] = FreePort(),
            ["Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return ErgateHostBuilder.Create([], b => b.Configuration.AddInMemoryCollection(settings), configureErgate).Build();
    }

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), $"ergate-host-test-{Guid.NewGuid():N}.db");

    public static void Delete(string database)
    {
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
