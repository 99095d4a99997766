using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Feedback.Analytics.Kafka;

/// <summary>
/// Loads librdkafka from the librdkafka.redist package. On glibc Linux the package's default build needs
/// libsasl2.so.3, which Debian 12 lacks; its centos8 build has no such dependency, so that one is preferred.
/// </summary>
public static class KafkaNative
{
    private static readonly Lock Gate = new();
    private static bool resolverSet;

    public static string LibraryPath
    {
        get
        {
            var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
            var centos8 = Path.Combine(native, "centos8-librdkafka.so");
            return File.Exists(centos8) ? centos8 : Path.Combine(native, "librdkafka.so");
        }
    }

    /// <summary>Call before the first Kafka client is built; harmless to call again.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (resolverSet || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !File.Exists(LibraryPath))
                return;
            // Confluent's own Library.Load dlopens through "libdl", which Debian 12 only ships as libdl.so.2,
            // so the library is resolved here instead, for every name Confluent.Kafka imports it by.
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                name.Contains("librdkafka", StringComparison.Ordinal) ? NativeLibrary.Load(LibraryPath) : IntPtr.Zero);
            resolverSet = true;
        }
    }
}
