"""Lineage as indented lines."""

from inspection import lineage_text, records


def artifact(artifact_id: int, type_name: str, **properties) -> records.ArtifactInfo:
    return records.ArtifactInfo(artifact_id, type_name, f"/x/{artifact_id}", None, "r1", 1, properties)


def test_lineage_trees_follow_producers_up_and_consumers_down_without_repeating():
    examples, model, pushed = artifact(1, "Examples", span=0), artifact(2, "Model"), artifact(3, "PushedModel", pushed=1)
    gen = records.LineageStep(10, "CsvExampleGen", "r1", "COMPLETE", {}, {"examples": [1]})
    trainer = records.LineageStep(11, "Trainer", "r1", "COMPLETE", {"examples": [1], "base": [1]}, {"model": [2]})
    pusher = records.LineageStep(12, "Pusher", "r1", "COMPLETE", {"model": [2]}, {"pushed_model": [3]})
    lineage = records.Lineage(
        2, [trainer, gen], [pusher], {1: examples, 2: model, 3: pushed},
        [{"input_base": "/data", "examples_id": 1, "span": 0, "input_fingerprint": "f"}], [],
    )
    upstream, downstream = lineage_text.lineage_trees(lineage, {"r1": 1})
    assert upstream == [
        (0, "Model 2 <- Trainer [execution 11, run 1, COMPLETE]"),
        (1, "examples: Examples 1 (span=0) <- CsvExampleGen [execution 10, run 1, COMPLETE]: input_base /data"),
        (1, "base: Examples 1 (span=0) (shown above)"),
    ]
    assert downstream == [
        (0, "Model 2"),
        (1, "-> Pusher [execution 12, run 1, COMPLETE]"),
        (2, "pushed_model: PushedModel 3 (pushed=1)"),
    ]
