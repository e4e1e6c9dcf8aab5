"""Property values as plain, flat data."""

from inspection import mlmd


def test_flatten_names_the_leaf_inside_json_text():
    flat = mlmd.flatten({"train_args": '{"num_steps": 100}', "custom_config": '{"code_version": "ab", "seed": 42}'})
    assert flat == {"train_args.num_steps": 100, "custom_config.code_version": "ab", "custom_config.seed": 42}


def test_flatten_indexes_lists_and_keeps_plain_strings():
    flat = mlmd.flatten({"specs": [{"name": "a"}, {"name": "b"}], "path": "{not json", "empty": "[]"})
    assert flat == {"specs[0].name": "a", "specs[1].name": "b", "path": "{not json", "empty": []}
