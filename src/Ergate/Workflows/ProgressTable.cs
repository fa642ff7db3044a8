namespace Ergate;

/// <summary>
/// Precomputed longest route lengths over a workflow's path hints (conformance README §6, "Path lengths"),
/// so the per-step progress arithmetic is two array reads.
/// </summary>
internal sealed class ProgressTable
{
    private const int Undefined = -1;

    // _longestNext[i]: longest route leaving step i through its next hints, or Undefined.
    private readonly int[] _longestNext;

    // _longestGoTo[i][t]: longest route leaving step i through its goto hints naming step t, or Undefined.
    private readonly Dictionary<int, int>[] _longestGoTo;

    public ProgressTable(Workflow workflow)
    {
        var steps = workflow.Steps;
        var count = steps.Count;
        var hints = new IReadOnlyList<StepPath>[count];
        var targets = new int[count][];
        for (var i = 0; i < count; i++)
        {
            hints[i] = steps[i].EffectivePaths;
            targets[i] = new int[hints[i].Count];
            for (var h = 0; h < hints[i].Count; h++)
            {
                targets[i][h] = hints[i][h].Kind switch
                {
                    StepPathKind.Next => i + 1,
                    StepPathKind.End => count,
                    _ => workflow.FindStep(hints[i][h].StepName!)!.Index,
                };
            }
        }

        // Hints only point forward (validated at registration), so filling from the last step back sees every
        // target's routes before the steps that lead to it.
        var longestFrom = new int[count]; // longest route through any hint of step j, or Undefined
        var longestVia = new int[count][];
        for (var i = count - 1; i >= 0; i--)
        {
            longestVia[i] = new int[hints[i].Count];
            var best = Undefined;
            for (var h = 0; h < hints[i].Count; h++)
            {
                var target = targets[i][h];
                var length = target >= count ? 1 : (longestFrom[target] == Undefined ? Undefined : 1 + longestFrom[target]);
                longestVia[i][h] = length;
                best = Math.Max(best, length);
            }

            longestFrom[i] = best;
        }

        _longestNext = new int[count];
        _longestGoTo = new Dictionary<int, int>[count];
        for (var i = 0; i < count; i++)
        {
            _longestNext[i] = Undefined;
            _longestGoTo[i] = [];
            for (var h = 0; h < hints[i].Count; h++)
            {
                var length = longestVia[i][h];
                if (hints[i][h].Kind == StepPathKind.Next)
                {
                    _longestNext[i] = Math.Max(_longestNext[i], length);
                }
                else if (hints[i][h].Kind == StepPathKind.GoTo)
                {
                    var target = targets[i][h];
                    _longestGoTo[i][target] = Math.Max(_longestGoTo[i].GetValueOrDefault(target, Undefined), length);
                }
            }
        }
    }

    /// <summary>The longest route through step <paramref name="step"/>'s next hints, or null when there is none.</summary>
    public int? LongestNext(int step) => _longestNext[step] == Undefined ? null : _longestNext[step];

    /// <summary>The longest route through step <paramref name="step"/>'s goto hints naming <paramref name="target"/>, or null.</summary>
    public int? LongestGoTo(int step, int target) =>
        _longestGoTo[step].TryGetValue(target, out var length) && length != Undefined ? length : null;
}
