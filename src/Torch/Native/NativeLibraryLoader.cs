using System.Reflection;
using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

/// <summary>
/// The one place the native shim is located and loaded. When loading fails the exception lists
/// every path tried and how to build the shim and install libtorch.
/// </summary>
internal static class NativeLibraryLoader
{
    private const string FileName = "libacshim.so";
    private static int registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Lib) return IntPtr.Zero;
        var tried = new List<string>();
        foreach (var path in CandidatePaths())
        {
            if (!File.Exists(path))
            {
                tried.Add($"{path} (not found)");
                continue;
            }
            if (NativeLibrary.TryLoad(path, out var lib)) return lib;
            tried.Add($"{path} (found but failed to load: {DescribeLoadFailure(path)})");
        }
        throw new DllNotFoundException(
            "AutoCompress could not load its native libtorch shim (libacshim.so). Tried:\n  " +
            string.Join("\n  ", tried) +
            "\nBuild it with scripts/bootstrap.sh, which installs Debian's libtorch-dev (or uses an official " +
            "libtorch named by LIBTORCH) and runs CMake; or point AUTOCOMPRESS_NATIVE at an existing libacshim.so.");
    }

    private static IEnumerable<string> CandidatePaths()
    {
        var env = Environment.GetEnvironmentVariable("AUTOCOMPRESS_NATIVE");
        if (!string.IsNullOrEmpty(env))
            yield return Directory.Exists(env) ? Path.Combine(env, FileName) : env;
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var asmDir = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
        if (!string.IsNullOrEmpty(asmDir)) yield return Path.Combine(asmDir, FileName);
        // A source checkout: walk up to the repository's build/native.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoCompress.sln")))
            {
                yield return Path.Combine(dir.FullName, "build", "native", FileName);
                break;
            }
        }
    }

    // dlopen's own message says which dependency (libtorch, libc10, ...) was missing.
    private static string DescribeLoadFailure(string path)
    {
        try
        {
            NativeLibrary.Load(path);
            return "unknown reason";
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
        catch (BadImageFormatException e)
        {
            return e.Message;
        }
    }
}
