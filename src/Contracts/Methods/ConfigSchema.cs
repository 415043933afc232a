using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace AutoCompress.Contracts.Methods;

/// <summary>A configuration that is invalid, naming the method and the parameter.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException() : base("invalid configuration") { }

    public ConfigException(string message) : base(message) { }

    public ConfigException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The allowed values of a string parameter.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChoicesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>One parameter of a method's configuration.</summary>
public sealed record ConfigParameter(string Name, string Type, object? Default, double? Min, double? Max, IReadOnlyList<string>? Choices, string? Description);

/// <summary>
/// A configuration record's parameters, read from its properties: JSON name, type, default,
/// <see cref="RangeAttribute"/> bounds, <see cref="ChoicesAttribute"/> values (enums list their
/// members) and <see cref="DisplayAttribute"/> description. A UI or a search space enumerates it.
/// </summary>
public sealed class ConfigSchema
{
    private readonly List<(PropertyInfo Property, ConfigParameter Parameter)> items;

    private ConfigSchema(List<(PropertyInfo, ConfigParameter)> items) => this.items = items;

    public IReadOnlyList<ConfigParameter> Parameters => items.Select(i => i.Parameter).ToList();

    public static ConfigSchema Of<T>() where T : class, new()
    {
        var defaults = new T();
        var list = new List<(PropertyInfo, ConfigParameter)>();
        foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var range = p.GetCustomAttribute<RangeAttribute>();
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var choices = p.GetCustomAttribute<ChoicesAttribute>()?.Values
                          ?? (type.IsEnum ? Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)).ToList() : null);
            list.Add((p, new ConfigParameter(
                JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), TypeName(type), p.GetValue(defaults),
                range is null ? null : Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture),
                range is null ? null : Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture),
                choices, p.GetCustomAttribute<DisplayAttribute>()?.Description)));
        }
        return new ConfigSchema(list);
    }

    private static string TypeName(Type t) =>
        t == typeof(int) || t == typeof(long) ? "integer"
        : t == typeof(double) || t == typeof(float) ? "number"
        : t == typeof(bool) ? "boolean"
        : t == typeof(string) || t.IsEnum ? "string"
        // A map (layer id -> value) is a JSON object, not an array, though it is enumerable too.
        : t.GetInterfaces().Append(t).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)) ? "object"
        : t.IsAssignableTo(typeof(System.Collections.IEnumerable)) ? "array"
        : "object";

    /// <summary>Checks ranges and choices; the first violation throws, naming the parameter and the allowed values.</summary>
    public void Validate(object config, string methodId)
    {
        foreach (var (p, param) in items)
        {
            var value = p.GetValue(config);
            if (value is null) continue;
            if (param.Min is { } min && param.Max is { } max)
            {
                var values = value is System.Collections.IEnumerable e and not string
                    ? e.Cast<object>().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture))
                    : [Convert.ToDouble(value, CultureInfo.InvariantCulture)];
                foreach (var v in values)
                    if (v < min || v > max || double.IsNaN(v))
                        throw new ConfigException($"{methodId}: {param.Name} = {v.ToString(CultureInfo.InvariantCulture)} is outside [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
            }
            if (param.Choices is { } choices && value is string s && !choices.Contains(s))
                throw new ConfigException($"{methodId}: {param.Name} = '{s}' is not one of {string.Join(", ", choices)}");
        }
    }
}
