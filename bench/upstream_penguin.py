"""Runs the upstream TFX penguin example as the baseline to beat.

It is `tfx/examples/penguin/penguin_pipeline_local.py` from the installed tfx 1.16.0
wheel, with its optional nodes off, so it has the same nine nodes as ours (ExampleGen,
StatisticsGen, SchemaGen, ExampleValidator, Transform, Trainer, Resolver, Evaluator,
Pusher), 100 training steps, and its own Keras module file.

Usage: python -m bench.upstream_penguin OUTPUT_DIR DATA_ROOT BEAM_MODE
BEAM_MODE is `multi_processing` (as shipped: one worker per CPU) or `in_memory`.
"""

import os
import sys

import modules  # noqa: F401  (the same Keras 2 setting as our runs)


def main(output_dir: str, data_root: str, beam_mode: str) -> None:
    from absl import flags
    from tfx import v1 as tfx
    from tfx.examples.penguin import penguin_pipeline_local as upstream

    flags.FLAGS(sys.argv[:1])
    name = "penguin_upstream"
    beam_args = {
        "multi_processing": ["--direct_running_mode=multi_processing", "--direct_num_workers=0"],
        "in_memory": ["--direct_running_mode=in_memory"],
    }[beam_mode]
    tfx.orchestration.LocalDagRunner().run(
        upstream.create_pipeline(
            pipeline_name=name,
            pipeline_root=os.path.join(output_dir, "pipelines", name),
            data_root=data_root,
            module_file=os.path.join(os.path.dirname(upstream.__file__), "penguin_utils_keras.py"),
            accuracy_threshold=0.6,
            serving_model_dir=os.path.join(output_dir, "serving", name),
            metadata_path=os.path.join(output_dir, "metadata", f"{name}.sqlite"),
            user_provided_schema_path=None,
            enable_tuning=False,
            enable_bulk_inferrer=False,
            enable_example_diff=False,
            examplegen_input_config=None,
            examplegen_range_config_date=None,
            resolver_range_config=None,
            beam_pipeline_args=beam_args,
            enable_transform_input_cache=False,
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
