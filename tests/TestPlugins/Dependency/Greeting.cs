namespace AutoCompress.Dependency;

public static class Greeting
{
    public static string Metric => "layers";
}
