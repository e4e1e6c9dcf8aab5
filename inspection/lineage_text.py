"""Lineage as indented lines, for `inspect lineage` and the report."""

from typing import Dict, List, Tuple

from inspection.records import ArtifactInfo, Lineage, LineageStep


def artifact_label(info: ArtifactInfo) -> str:
    """`Examples 1 (span=0)`: the type, id and key properties of an artifact."""
    properties = ", ".join(f"{name}={value}" for name, value in info.key_properties.items())
    return f"{info.type} {info.id}" + (f" ({properties})" if properties else "")


def step_label(step: LineageStep, run_ids: Dict[str, int]) -> str:
    run = f", run {run_ids[step.run]}" if step.run in run_ids else ""
    return f"{step.node} [execution {step.execution_id}{run}, {step.state}]"


def lineage_trees(lineage: Lineage, run_ids: Dict[str, int]) -> Tuple[List[Tuple[int, str]], List[Tuple[int, str]]]:
    """The upstream and downstream walks as indented lines: [(depth, text), ...].

    Upstream, each artifact is followed by the node that produced it and that node's
    inputs; downstream, by the nodes that read it and their outputs. An artifact or
    node met a second time says "shown above" instead of repeating its subtree.
    """
    producer = {i: step for step in lineage.upstream for group in step.outputs.values() for i in group}
    consumers: Dict[int, List[LineageStep]] = {}
    for step in lineage.downstream:
        for group in step.inputs.values():
            for i in group:
                consumers.setdefault(i, []).append(step)

    def up(artifact_id: int, key: str, depth: int, shown: set, lines: List[Tuple[int, str]]) -> None:
        text = (f"{key}: " if key else "") + artifact_label(lineage.artifacts[artifact_id])
        if artifact_id in shown:
            lines.append((depth, text + " (shown above)"))
            return
        shown.add(artifact_id)
        step = producer.get(artifact_id)
        if step is not None:
            text += f" <- {step_label(step, run_ids)}"
            input_base = next((d["input_base"] for d in lineage.input_data if d["examples_id"] == artifact_id), None)
            text += f": input_base {input_base}" if input_base else ""
        lines.append((depth, text))
        for input_key, ids in (step.inputs.items() if step else []):
            for input_id in ids:
                up(input_id, input_key, depth + 1, shown, lines)

    def down(artifact_id: int, key: str, depth: int, shown: set, lines: List[Tuple[int, str]]) -> None:
        lines.append((depth, (f"{key}: " if key else "") + artifact_label(lineage.artifacts[artifact_id])))
        for step in consumers.get(artifact_id, []):
            if step.execution_id in shown:
                lines.append((depth + 1, f"-> {step_label(step, run_ids)} (shown above)"))
                continue
            shown.add(step.execution_id)
            lines.append((depth + 1, f"-> {step_label(step, run_ids)}"))
            for output_key, ids in step.outputs.items():
                for output_id in ids:
                    down(output_id, output_key, depth + 2, shown, lines)

    upstream: List[Tuple[int, str]] = []
    downstream: List[Tuple[int, str]] = []
    up(lineage.artifact_id, "", 0, set(), upstream)
    down(lineage.artifact_id, "", 0, set(), downstream)
    return upstream, downstream
