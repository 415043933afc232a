using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace AutoCompress.Dashboard.Tests;

/// <summary>
/// Debian's Chromium, headless, driven through Debian's chromium-driver: the browser a user of the dashboard has,
/// not a bundled one (and Selenium Manager, which would download a driver, is never asked: both paths are given).
/// Missing packages fail the tests with the command that installs them.
/// </summary>
internal sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    public const int Width = 1400;
    public const int Height = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string profile = Directory.CreateTempSubdirectory("ac-chromium-").FullName;

    public ChromeDriver Driver { get; }
    public string Downloads { get; }
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public Browser()
    {
        RequireInstalled();
        Downloads = Directory.CreateDirectory(Path.Combine(profile, "downloads")).FullName;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1", $"--window-size={Width},{Height}",
            $"--user-data-dir={Path.Combine(profile, "profile")}");
        options.AddUserProfilePreference("download.default_directory", Downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().ImplicitWait = TimeSpan.Zero;
        // Headless Chromium's viewport is the window less its (invisible) frame; fix it so screenshots have a known size.
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = Width, ["height"] = Height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
        // Before any page script: collect script errors, unhandled promise rejections and Content-Security-Policy violations.
        Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?>
        {
            ["source"] = "window.__errors = [];" +
                "addEventListener('error', e => __errors.push('error: ' + e.message));" +
                "addEventListener('unhandledrejection', e => __errors.push('unhandled rejection: ' + e.reason));" +
                "document.addEventListener('securitypolicyviolation', e => __errors.push('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
        });
    }

    /// <summary>Fails when the page has had a script error, an unhandled rejection or a CSP violation since it loaded.</summary>
    public void AssertNoPageErrors()
    {
        var errors = ((IEnumerable<object>?)Script("return window.__errors || null;") ?? throw new InvalidOperationException("the error collector is not installed"))
            .Cast<string>().ToList();
        Assert.True(errors.Count == 0, "page errors: " + string.Join("; ", errors));
    }

    /// <summary>Throws, naming the packages to install, when Chromium or its driver is missing.</summary>
    public static void RequireInstalled(string chromium = ChromiumPath, string driver = DriverPath)
    {
        var missing = new List<string>();
        if (!File.Exists(chromium)) missing.Add($"{chromium} (Debian package chromium)");
        if (!File.Exists(driver)) missing.Add($"{driver} (Debian package chromium-driver)");
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"The dashboard tests drive headless Chromium, but {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. " +
                "Install them with `sudo apt-get install chromium chromium-driver`, or run ./test.sh, whose " +
                "scripts/bootstrap.sh --test installs them.");
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium's last helper process may still hold a file for a moment.
            }
        }
    }

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    public long Count(string css) => (long)Script($"return document.querySelectorAll({Quote(css)}).length;")!;

    public string Text(string css) => (string?)Script($"const e = document.querySelector({Quote(css)}); return e ? e.textContent : null;") ?? "";

    public bool Visible(string css) => (bool)Script($"const e = document.querySelector({Quote(css)}); return !!e && e.offsetParent !== null;")!;

    public IWebElement Find(string css) => Until(() => Driver.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), $"a visible {css}");

    /// <summary>Clicks the first visible match, finding it again if a live re-render replaced it in between.</summary>
    public void Click(string css) => Until(() =>
    {
        Find(css).Click();
        return true;
    }, $"a click on {css}");

    /// <summary>The text of every match, read in one go (a live page re-renders between separate reads).</summary>
    public List<string> Texts(string css) =>
        [.. ((IEnumerable<object>)Script($"return [...document.querySelectorAll({Quote(css)})].map(e => e.textContent);")!).Cast<string>()];

    public string? Attribute(string css, string name) =>
        (string?)Script($"const e = document.querySelector({Quote(css)}); return e ? e.getAttribute({Quote(name)}) : null;");

    public long LongOf(string css) => long.Parse(Text(css).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Polls until <paramref name="probe"/> gives a non-null (non-false) value; on timeout saves a screenshot and says what it waited for.</summary>
    public T Until<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        Exception? last = null;
        while (true)
        {
            try
            {
                var value = probe();
                if (value is not null && value is not false) return value;
            }
            catch (Exception e) when (e is StaleElementReferenceException or NoSuchElementException or InvalidCastException or FormatException)
            {
                last = e;
            }
            if (DateTime.UtcNow > deadline)
            {
                var shot = Save("timeout-" + DateTime.UtcNow.Ticks);
                throw new TimeoutException($"waited for {what}; notice: '{Text("#notice")}', screenshot {shot}", last);
            }
            Thread.Sleep(100);
        }
    }

    public void Until(Func<bool> condition, string what, TimeSpan? timeout = null) => Until<object>(() => condition() ? true : null, what, timeout);

    /// <summary>Saves a screenshot of the viewport under the test output and returns its path.</summary>
    public string Save(string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        File.WriteAllBytes(path, Driver.GetScreenshot().AsByteArray);
        return path;
    }

    /// <summary>An element's rectangle in viewport pixels (device pixels = CSS pixels: the scale factor is forced to 1).</summary>
    public (int X, int Y, int Width, int Height) Rect(string css)
    {
        var r = (IReadOnlyDictionary<string, object>)Script(
            $"const b = document.querySelector({Quote(css)}).getBoundingClientRect(); return {{x: b.x, y: b.y, w: b.width, h: b.height}};")!;
        int Get(string k) => (int)Math.Round(Convert.ToDouble(r[k], CultureInfo.InvariantCulture));
        return (Get("x"), Get("y"), Get("w"), Get("h"));
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
