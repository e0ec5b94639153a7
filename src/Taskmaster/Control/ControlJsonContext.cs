using System.Text.Json.Serialization;

namespace Taskmaster.Control;

/// <summary>Source-generated JSON metadata for every API shape: no reflection, so NativeAOT and trimming stay clean.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ProcessInfo))]
[JsonSerializable(typeof(IReadOnlyList<ProcessInfo>))]
[JsonSerializable(typeof(ProcessCommandRequest))]
[JsonSerializable(typeof(ProcessCommandResponse))]
[JsonSerializable(typeof(RereadResponse))]
[JsonSerializable(typeof(GroupsRequest))]
[JsonSerializable(typeof(EmptyRequest))]
[JsonSerializable(typeof(GroupCommandResponse))]
[JsonSerializable(typeof(LogSliceResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(AcceptedResponse))]
[JsonSerializable(typeof(IReadOnlyList<ProgramInfo>))]
[JsonSerializable(typeof(StateChangeEvent))]
[JsonSerializable(typeof(HealthChangeEvent))]
[JsonSerializable(typeof(SupervisorEventMessage))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
