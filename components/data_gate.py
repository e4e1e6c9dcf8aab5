"""The data gate's second node: DataGate fails the run when DataValidator stopped the span.

Transform waits for it, so on every orchestrator (LocalDagRunner, Kubeflow Pipelines,
Airflow) nothing that transforms, trains, evaluates or pushes runs on refused data.
"""

from typing import Any, Dict, List

from tfx import types
from tfx.dsl.components.base import base_component, base_executor, executor_spec
from tfx.types import artifact_utils, standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter

from components.data_findings import FINDINGS_FILE, Verdict, read_verdict
from components.data_validation import ANOMALIES_KEY


class DataGateError(RuntimeError):
    """The data gate stopped the run; the message lists the findings it stopped on."""


def gate_message(verdict: Verdict) -> str:
    findings = verdict.open_findings
    listed = "; ".join(f"{f.split} {f.feature} {f.kind}: {f.description}" for f in findings)
    return f"the data gate stopped span {verdict.span}: {len(findings)} finding(s): {listed}"


class GateExecutor(base_executor.BaseExecutor):
    """Raises DataGateError when DataValidator's verdict is "stopped"."""

    def Do(self, input_dict: Dict[str, List[types.Artifact]], output_dict: Dict[str, List[types.Artifact]],
           exec_properties: Dict[str, Any]) -> None:
        del output_dict, exec_properties
        anomalies = artifact_utils.get_single_instance(input_dict[ANOMALIES_KEY])
        verdict = read_verdict(anomalies.uri)
        if verdict is None:
            raise DataGateError(f"{anomalies.uri} holds no {FINDINGS_FILE}: not DataValidator's output")
        if verdict.stopped:
            raise DataGateError(gate_message(verdict))


class DataGateSpec(ComponentSpec):
    PARAMETERS: Dict[str, ExecutionParameter] = {}
    INPUTS = {ANOMALIES_KEY: ChannelParameter(type=standard_artifacts.ExampleAnomalies)}
    OUTPUTS: Dict[str, ChannelParameter] = {}


class DataGate(base_component.BaseComponent):
    """Fails the run when DataValidator stopped the span; Transform waits for it."""

    SPEC_CLASS = DataGateSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(GateExecutor)

    def __init__(self, anomalies: types.BaseChannel) -> None:
        super().__init__(spec=DataGateSpec(anomalies=anomalies))
