"""A Pusher executor that publishes each version atomically and never duplicates one.

The stock filesystem Pusher copies a blessed model into `<base>/<unix time>/` file by
file, and a re-run that blesses the same model again pushes a second, identical
version. This executor instead
- reuses the newest version when its files are byte-identical to the blessed model
  (a "nothing changed" re-run pushes nothing new and TF Serving keeps its version),
- otherwise copies into a hidden staging directory (saved_model.pb last, for remote
  filesystems without atomic rename) and renames it into place
  (`components/publishing.py`), so a model server polling `<base>` never sees a
  half-written version,
- numbers versions by Unix time but always above the newest existing one, choosing and
  publishing under the base directory's lock, so two runs at once never push one number.
"""

import os
import time
from typing import Any, Dict, List, Optional

from tfx import types
from tfx.components.pusher import executor as pusher_executor
from tfx.dsl.io import fileio
from tfx.proto import pusher_pb2
from tfx.types import artifact_utils, standard_component_specs
from tfx.utils import io_utils, proto_utils

from components import publishing
from serving import layout


def identical_newest_version(base_directory: str, model_path: str) -> Optional[str]:
    """The newest served version if it is byte-identical to `model_path`, else None."""
    versions = layout.versions(base_directory, fileio)
    if not versions:
        return None
    newest = os.path.join(base_directory, str(versions[-1]))
    return newest if publishing.same_files(newest, model_path) else None


def publish_version(model_path: str, base_directory: str) -> str:
    """Copies `model_path` to a new version directory atomically; returns its path.

    Call it holding `publishing.base_directory_lock(base_directory)`."""
    versions = layout.versions(base_directory, fileio)
    version = max(int(time.time()), versions[-1] + 1 if versions else 0)
    return publishing.publish_directory(model_path, base_directory, str(version), last_file=layout.SAVED_MODEL_FILE)


class Executor(pusher_executor.Executor):
    """Filesystem Pusher with atomic, de-duplicated versions (see the module docstring)."""

    def Do(
        self,
        input_dict: Dict[str, List[types.Artifact]],
        output_dict: Dict[str, List[types.Artifact]],
        exec_properties: Dict[str, Any],
    ) -> None:
        self._log_startup(input_dict, output_dict, exec_properties)
        model_push = artifact_utils.get_single_instance(
            output_dict[standard_component_specs.PUSHED_MODEL_KEY]
        )
        if not self.CheckBlessing(input_dict):
            self._MarkNotPushed(model_push)
            return
        model_path = self.GetModelPath(input_dict)
        destination = pusher_pb2.PushDestination()
        proto_utils.json_to_proto(
            exec_properties[standard_component_specs.PUSH_DESTINATION_KEY], destination
        )
        if destination.WhichOneof("destination") != "filesystem":
            raise NotImplementedError("only filesystem push destinations are supported")
        base_directory = destination.filesystem.base_directory
        with publishing.base_directory_lock(base_directory):
            version_path = identical_newest_version(base_directory, model_path)
            model_push.set_int_custom_property("reused_version", int(version_path is not None))
            if version_path is None:
                version_path = publish_version(model_path, base_directory)
        io_utils.copy_dir(model_path, model_push.uri)
        self._MarkPushed(
            model_push,
            pushed_destination=version_path,
            pushed_version=os.path.basename(version_path),
        )
