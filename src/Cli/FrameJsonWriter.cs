using System.Text.Json;
using StreamMonitor.Core;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Cli;

/// <summary>
/// Writes frames as JSON lines, the contract scripts rely on: <c>frame</c>, <c>step</c>, <c>time</c>,
/// <c>natoms</c>, <c>box</c> (rows a, b, c), <c>origin</c>, and with positions <c>ids</c>, <c>types</c>,
/// <c>positions</c>. Events are lines with an <c>event</c> key instead.
/// </summary>
internal sealed class FrameJsonWriter(Stream output, bool positions) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { SkipValidation = true });

    public void Write(Frame frame)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("frame", frame.Index);
        _json.WriteNumber("step", frame.Step);
        if (frame.Time is { } t) _json.WriteNumber("time", t);
        else _json.WriteNull("time");
        _json.WriteNumber("natoms", frame.AtomCount);
        var box = frame.Box;
        _json.WriteStartArray("box");
        WriteVector(box.A);
        WriteVector(box.B);
        WriteVector(box.C);
        _json.WriteEndArray();
        _json.WritePropertyName("origin");
        WriteVector(box.Origin);
        if (positions)
        {
            _json.WriteStartArray("ids");
            foreach (int id in frame.Ids) _json.WriteNumberValue(id);
            _json.WriteEndArray();
            _json.WriteStartArray("types");
            foreach (int type in frame.Types) _json.WriteNumberValue(type);
            _json.WriteEndArray();
            _json.WriteStartArray("positions");
            var x = frame.X;
            var y = frame.Y;
            var z = frame.Z;
            for (int i = 0; i < x.Length; i++)
            {
                _json.WriteStartArray();
                _json.WriteNumberValue(x[i]);
                _json.WriteNumberValue(y[i]);
                _json.WriteNumberValue(z[i]);
                _json.WriteEndArray();
            }
            _json.WriteEndArray();
        }
        _json.WriteEndObject();
        EndLine();
    }

    public void Write(TrajectoryEvent e)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("event", JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Kind.ToString()));
        _json.WriteString("path", e.Path);
        _json.WriteString("message", e.Message);
        _json.WriteNumber("before_frame", e.Before.FrameIndex);
        _json.WriteNumber("before_byte", e.Before.ByteOffset);
        _json.WriteEndObject();
        EndLine();
    }

    public void Dispose() => _json.Dispose();

    private void EndLine()
    {
        _json.Flush();
        output.WriteByte((byte)'\n');
    }

    private void WriteVector(Vector3d v)
    {
        _json.WriteStartArray();
        _json.WriteNumberValue(v.X);
        _json.WriteNumberValue(v.Y);
        _json.WriteNumberValue(v.Z);
        _json.WriteEndArray();
    }
}
